// Runs a TypeScript Pulumi program in-process through the Automation API (no language host).
//
//     node <compiled>/inline.js <command> [pulumi arguments...]
//
// run in the program's directory, with <command> one of preview, up, refresh, destroy, after
// `tsc` compiled this file beside the program's own index.ts (tests/integration/engine.py does
// both). The program is the directory's own index.ts, loaded unchanged as the inline program;
// its exports are the stack outputs, as with the nodejs language host. The Automation API
// serves it over the engine's `client` runtime and calls the CLI; that call gets exactly the
// arguments given here plus the Automation API's --client/--exec-kind/--event-log, so the
// output is what `pulumi <command> [arguments...]` prints in the directory when a host exists.
// The exit code is the CLI's.
import * as auto from "@pulumi/pulumi/automation";

const OPERATIONS = ["preview", "up", "refresh", "destroy"];
const FROM_AUTOMATION = ["--client", "--exec-kind", "--event-log"];

// What the CLI run answers (auto.PulumiCommand's internal result type).
interface CommandResult {
    stdout: string;
    stderr: string;
    code: number;
}

type Run = (
    args: string[],
    cwd: string,
    env: { [key: string]: string },
    onOutput?: (data: string) => void,
    onError?: (data: string) => void,
) => Promise<CommandResult>;

async function main(argv: string[]): Promise<number> {
    if (argv.length === 0 || !OPERATIONS.includes(argv[0])) {
        process.stderr.write(`usage: inline.js {${OPERATIONS.join(",")}} [pulumi arguments...]\n`);
        return 2;
    }
    const stackName = argv[argv.indexOf("--stack") + 1];
    const cli = await auto.PulumiCommand.get({ skipVersionCheck: true });
    const cliRun = (cli as unknown as { run: Run }).run.bind(cli);
    let code: number | undefined;
    // The CLI, with the caller's arguments for the one operation the Automation API runs.
    const passthrough: Run = async (args, cwd, env) => {
        if (!args.includes(argv[0])) {
            return cliRun(args, cwd, env);
        }
        // The Automation API's own flags, as `--flag=value` or `--flag value`.
        const wiring = args.flatMap((a, i) =>
            FROM_AUTOMATION.some((flag) => a.startsWith(`${flag}=`))
                ? [a]
                : FROM_AUTOMATION.includes(a) && i + 1 < args.length
                  ? [a, args[i + 1]]
                  : [],
        );
        try {
            const result = await cliRun(
                [...argv, ...wiring],
                cwd,
                env,
                (data) => process.stdout.write(data),
                (data) => process.stderr.write(data),
            );
            code = result.code;
            return result;
        } catch (err) {
            const match = /code: (-?\d+)/.exec(String(err));
            code = match ? Number(match[1]) : 1;
            throw err;
        }
    };
    const command = Object.assign(Object.create(cli), { run: passthrough }) as auto.PulumiCommand;
    const program = async () => require(`${__dirname}/index`);
    const workspace = await auto.LocalWorkspace.create({ workDir: process.cwd(), program, pulumiCommand: command });
    const stack = await auto.Stack.select(stackName, workspace);
    try {
        await { preview: () => stack.preview(), up: () => stack.up(), refresh: () => stack.refresh(), destroy: () => stack.destroy() }[
            argv[0] as "preview" | "up" | "refresh" | "destroy"
        ]();
    } catch (err) {
        if (code === undefined) {
            throw err;
        }
        if (!(err instanceof auto.CommandError)) {
            process.stderr.write(`inline.js: after the CLI finished: ${err}\n`);
        }
    }
    return code ?? 1;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        process.stderr.write(`inline.js: ${err?.stack ?? err}\n`);
        process.exit(1);
    },
);
