// Command gen-dotnet writes the invision package's .NET SDK from its Pulumi
// schema, with the code generator `pulumi package gen-sdk --language dotnet`
// used before it moved out of pkg/v3.
//
//	gen-dotnet <schema.json> <sdk dir>
//
// Why a module of its own: pkg/v3 deleted codegen/dotnet after v3.225.1 (it
// now lives in github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3,
// which the Go module proxy does not serve us), so this module pins
// pkg/v3 v3.225.1, the newest release that still has it, while
// scripts/pulumi-cli stays on the CLI's version for Python and Go.
//
// <sdk dir>/dotnet is replaced whole, so a property removed from the schema
// leaves no file behind.
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	dotnetgen "github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-invision gen-sdk"

// The generator downloads the NuGet package icon (by default Pulumi's logo,
// from GitHub). Generation must not depend on the network, and the SDK must
// be the same everywhere, so the icon is ours, served from this module.
//
//go:embed logo.png
var logo []byte

const logoURL = "https://pulumi-invision.invalid/logo.png"

// offline is the only HTTP transport in this program: it serves the icon and
// refuses anything else, so a codegen change that reaches for the network
// fails here instead of writing something that depends on it.
type offline struct{}

func (offline) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.URL.String() != logoURL {
		return nil, fmt.Errorf("gen-dotnet does not use the network (%s %s)", req.Method, req.URL)
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"image/png"}}, Body: io.NopCloser(bytes.NewReader(logo)),
		ContentLength: int64(len(logo)), Request: req,
	}, nil
}

func main() {
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: gen-dotnet <schema.json> <sdk dir>"))
	}
	raw, err := os.ReadFile(os.Args[1])
	fail(err)
	var spec schema.PackageSpec
	fail(json.Unmarshal(raw, &spec))
	// gen-sdk has already validated this schema against the metaschema and
	// refused any reference to another package, so importing it needs no loader.
	pkg, err := schema.ImportSpec(spec, nil, schema.ValidationOptions{})
	fail(err)
	if pkg.LogoURL == "" {
		pkg.LogoURL = logoURL
	}
	http.DefaultTransport = offline{}

	files, err := dotnetgen.GeneratePackage(tool, pkg, map[string][]byte{}, nil)
	fail(err)
	dir := filepath.Join(os.Args[2], "dotnet")
	fail(os.RemoveAll(dir))
	for name, data := range files {
		path := filepath.Join(dir, name)
		fail(os.MkdirAll(filepath.Dir(path), 0o755))
		fail(os.WriteFile(path, data, 0o644))
	}
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-dotnet:", err)
		os.Exit(1)
	}
}
