// Command gomodzip writes the module zip of a directory as the Go module proxy serves it, with
// golang.org/x/mod/zip (the code cmd/go uses), and checks it.
//
//	gomodzip <module path> <version> <module dir> <out.zip>
//
// The directory must hold exactly the module's files: nested modules (a subdirectory with its
// own go.mod) are left out, as cmd/go leaves them out. `make dist` (release_tools/dist.py) stages
// sdk/ with the repository's LICENSE added, which cmd/go adds to a module in a subdirectory that
// has none of its own.
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

func run(path, version, dir, out string) error {
	m := module.Version{Path: path, Version: version}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := modzip.CreateFromDir(f, m, dir); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	cf, err := modzip.CheckZip(m, out)
	if err != nil {
		return err
	}
	return cf.Err()
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: gomodzip <module path> <version> <module dir> <out.zip>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintln(os.Stderr, "gomodzip:", err)
		os.Exit(1)
	}
}
