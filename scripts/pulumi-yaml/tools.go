//go:build tools

// Package tools pins Pulumi's YAML language host so `go build` can produce it
// from the Go module proxy. A module of its own, not the CLI's: pulumi-yaml
// v1.25.0 is built against pkg/v3 v3.206.0, whose plugin API the CLI's
// v3.248.0 has changed, and a host speaks to any newer CLI over gRPC.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
