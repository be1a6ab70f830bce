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
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

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
	pkg, diags, err := schema.BindSpec(spec, nil, schema.ValidationOptions{})
	fail(err)
	if diags.HasErrors() {
		fail(diags)
	}
	sdk := os.Args[2]

	py, err := pygen.GeneratePackage(tool, pkg, map[string][]byte{"README.md": readme(spec)}, nil)
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

func readme(spec schema.PackageSpec) []byte {
	return []byte(fmt.Sprintf("# %s\n\n%s\n\nGenerated from the provider's schema by `npm run gen:sdk`; do not edit.\n", spec.DisplayName, spec.Description))
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
