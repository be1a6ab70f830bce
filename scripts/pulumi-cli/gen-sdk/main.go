// Command gen-sdk writes the invision package's SDKs from its Pulumi schema,
// with the code generators `pulumi package gen-sdk` uses, at the CLI's own
// pkg/v3 version (this module pins it), so the SDKs match the CLI we test with.
//
//	gen-sdk <schema.json> <sdk dir>
//
// Each language's directory under <sdk dir> is replaced whole, so a property
// removed from the schema leaves no file behind.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-invision gen-sdk"

func main() {
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: gen-sdk <schema.json> <sdk dir>"))
	}
	raw, err := os.ReadFile(os.Args[1])
	fail(err)
	var spec schema.PackageSpec
	fail(json.Unmarshal(raw, &spec))
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	fail(err)
	if diags.HasErrors() {
		fail(diags)
	}
	sdk := os.Args[2]

	py, err := pygen.GeneratePackage(tool, pkg, map[string][]byte{}, noPackages{})
	fail(err)
	write(filepath.Join(sdk, "python"), py)

	goFiles, err := gogen.GeneratePackage(tool, pkg, nil)
	fail(err)
	// The Go module file is ours (sdk/go/go.mod): keep it, replace the package.
	fail(os.RemoveAll(filepath.Join(sdk, "go", spec.Name)))
	for name, data := range goFiles {
		writeFile(filepath.Join(sdk, "go", name), data)
	}
}

// noPackages is the loader of a schema that refers to no other package:
// nothing here asks Pulumi's plugin host (or the network) for one.
type noPackages struct{}

func (noPackages) refuse(name string) error {
	return fmt.Errorf("the invision schema refers to package %q; it should refer to none", name)
}

func (l noPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(name)
}

func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l noPackages) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(name)
}

func (l noPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

func write(dir string, files map[string][]byte) {
	fail(os.RemoveAll(dir))
	for name, data := range files {
		writeFile(filepath.Join(dir, name), data)
	}
}

func writeFile(path string, data []byte) {
	fail(os.MkdirAll(filepath.Dir(path), 0o755))
	fail(os.WriteFile(path, data, 0o644))
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-sdk:", err)
		os.Exit(1)
	}
}
