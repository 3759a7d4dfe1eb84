//go:build mlserving_inline

// Runs a Go Pulumi program in-process through the Automation API (no language host).
//
// tests/integration/engine.py copies this file into a copy of the program's directory and
// builds the package with `-tags mlserving_inline`; the binary then runs
//
//	<binary> <command> [pulumi arguments...]
//
// in that directory, with <command> one of preview, up, refresh, destroy. The program is the
// package's own `program` function (main.go's `pulumi.Run(program)`), unchanged. The
// Automation API serves it over the engine's `client` runtime and calls the CLI; that call
// gets exactly the arguments given here plus the Automation API's --client/--exec-kind/
// --event-log, so the output is what `pulumi <command> [arguments...]` prints in the directory
// when a host exists. The exit code is the CLI's.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

var inlineOperations = []string{"preview", "up", "refresh", "destroy"}

// passthrough is the CLI, with the caller's arguments for the one operation the Automation API runs.
type passthrough struct {
	cli  auto.PulumiCommand
	args []string
	code *int
}

func (p passthrough) Version() semver.Version { return p.cli.Version() }

func (p passthrough) Run(ctx context.Context, workdir string, stdin io.Reader, out, errOut []io.Writer,
	env []string, args ...string,
) (string, string, int, error) {
	if !slices.Contains(args, p.args[0]) {
		return p.cli.Run(ctx, workdir, stdin, out, errOut, env, args...)
	}
	// The Automation API's own flags, as --flag=value or --flag value.
	full := slices.Clone(p.args)
	for i, arg := range args {
		for _, flag := range []string{"--client", "--exec-kind", "--event-log"} {
			if strings.HasPrefix(arg, flag+"=") {
				full = append(full, arg)
			} else if arg == flag && i+1 < len(args) {
				full = append(full, arg, args[i+1])
			}
		}
	}
	stdout, stderr, code, err := p.cli.Run(ctx, workdir, stdin,
		append(out, os.Stdout), append(errOut, os.Stderr), env, full...)
	*p.code = code
	return stdout, stderr, code, err
}

func init() {
	os.Exit(runInline(os.Args[1:]))
}

func runInline(argv []string) int {
	if len(argv) == 0 || !slices.Contains(inlineOperations, argv[0]) {
		fmt.Fprintf(os.Stderr, "usage: %s {%s} [pulumi arguments...]\n", os.Args[0], strings.Join(inlineOperations, ","))
		return 2
	}
	stackName := argv[slices.Index(argv, "--stack")+1]
	ctx := context.Background()
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{SkipVersionCheck: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "inline:", err)
		return 1
	}
	code := -1
	cwd, _ := os.Getwd()
	ws, err := auto.NewLocalWorkspace(ctx, auto.WorkDir(cwd), auto.Program(program),
		auto.Pulumi(passthrough{cli: cli, args: argv, code: &code}))
	if err != nil {
		fmt.Fprintln(os.Stderr, "inline:", err)
		return 1
	}
	stack, err := auto.SelectStack(ctx, stackName, ws)
	if err != nil {
		fmt.Fprintln(os.Stderr, "inline:", err)
		return 1
	}
	switch argv[0] {
	case "preview":
		_, err = stack.Preview(ctx)
	case "up":
		_, err = stack.Up(ctx)
	case "refresh":
		_, err = stack.Refresh(ctx)
	case "destroy":
		_, err = stack.Destroy(ctx)
	}
	if code < 0 {
		fmt.Fprintln(os.Stderr, "inline:", err)
		return 1
	}
	if err != nil && code == 0 {
		fmt.Fprintln(os.Stderr, "inline: after the CLI finished:", err)
	}
	return code
}
