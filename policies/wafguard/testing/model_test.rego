# METADATA
# description: |
#   Test helper: a Model from resources and edges, with the edge indexes that
#   the loader builds (src/model.ts makeModel). Named *_test.rego so that it
#   stays out of the compiled policy.
package wafguard.testing

model(resources, edges) := {
	"resources": resources,
	"edges": edges,
	"edges_out": index(edges, "from"),
	"edges_in": index(edges, "to"),
	"options": {},
}

index(edges, end) := {key: {attribute: [e |
	some e in edges
	e[end] == key
	e.attribute == attribute
] |
	some attribute in {e.attribute | some e in edges; e[end] == key}
} |
	some key in {e[end] | some e in edges}
}

test_index if {
	e1 := {"from": "a", "attribute": "x", "to": "b"}
	e2 := {"from": "a", "attribute": "y", "to": "c"}
	model([], [e1, e2]).edges_out == {"a": {"x": [e1], "y": [e2]}}
	model([], [e1, e2]).edges_in == {"b": {"x": [e1]}, "c": {"y": [e2]}}
}
