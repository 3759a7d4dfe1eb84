// Command sdkgen generates one language's SDK from schema.json with the Pulumi code generators
// linked in-process, exactly as `pulumi package gen-sdk <schema.json> --language <lang>` does
// through that language's host, for machines where the host cannot be had (scripts/gen-sdk.sh
// uses it only then).
//
//	sdkgen <schema.json> <nodejs|python|go> <out>
//
// It follows the CLI and the hosts at the version it is built with (pkg/v3, the CLI's pin):
// the CLI reads the schema, binds it and sends the bound package, marshalled back to JSON, to
// the host (cmd/pulumi/packages: GenSDK); the host binds that again and calls its language's
// codegen.GeneratePackage with its own name as the tool (pulumi-language-<lang>: GeneratePackage),
// with no local dependencies and local=false, and writes every file under <out>/<lang>.
// The schema may reference no other package: this tool loads none.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noPackages is the loader: a schema that references another package is refused.
type noPackages struct{}

func (noPackages) refuse(name string) error {
	return fmt.Errorf("sdkgen: the schema references package %q; sdkgen loads no other package", name)
}

func (l noPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(pkg)
}

func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l noPackages) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(pkg)
}

func (l noPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

func bind(spec schema.PackageSpec) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, errors.Join(diags.Errs()...)
	}
	return pkg, nil
}

func generate(schemaPath, language, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	// The CLI's side: bind, then marshal the bound package for the host.
	cliPkg, err := bind(spec)
	if err != nil {
		return err
	}
	sent, err := cliPkg.MarshalJSON()
	if err != nil {
		return err
	}
	// The host's side.
	var hostSpec schema.PackageSpec
	if err := json.Unmarshal(sent, &hostSpec); err != nil {
		return err
	}
	pkg, err := bind(hostSpec)
	if err != nil {
		return err
	}
	var files map[string][]byte
	switch language {
	case "nodejs":
		files, err = nodejsgen.GeneratePackage("pulumi-language-nodejs", pkg, nil, nil, false, noPackages{})
	case "python":
		files, err = pythongen.GeneratePackage("pulumi-language-python", pkg, nil, noPackages{})
	case "go":
		files, err = gogen.GeneratePackage("pulumi-language-go", pkg, nil)
	default:
		return fmt.Errorf("sdkgen: unknown language %q (nodejs, python or go)", language)
	}
	if err != nil {
		return err
	}
	dir := filepath.Join(out, language)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: sdkgen <schema.json> <nodejs|python|go> <out>")
		os.Exit(2)
	}
	if err := generate(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
