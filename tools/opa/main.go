// Command opa is OPA's own command line, built from a pinned module version (see go.mod) so that every
// developer and CI compile policy.wasm with the same compiler. It mirrors OPA's main.go.
package main

import (
	"errors"
	"os"

	"github.com/open-policy-agent/opa/cmd"
)

func main() {
	if err := cmd.RootCommand.Execute(); err != nil {
		var exitErr *cmd.ExitError
		if errors.As(err, &exitErr) {
			os.Exit(exitErr.Exit)
		}
		os.Exit(1)
	}
}
