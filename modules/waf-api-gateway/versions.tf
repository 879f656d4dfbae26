terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.66.0 lowered the rate-based rule minimum to 10 and added association_config.
      version = ">= 5.66.0"
    }
  }
}
