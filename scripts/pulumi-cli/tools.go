//go:build tools

// Package tools pins the Pulumi CLI so `go build` can produce it from the Go
// module proxy: the CLI's own installer downloads from hosts we cannot reach.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
