//! The command line: clap-derive subcommands, each with its arguments as one struct,
//! and `run`, which dispatches to the pipeline.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildOptions};

/// Build documentation sites that people and AI agents can both use.
#[derive(Debug, Parser)]
#[command(name = "docask", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: the unlisted pages after a build, debug logs under `serve`.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the static site, Markdown twins, llms.txt and the search index.
    Build(BuildArgs),
    /// Validate the content without writing: links, anchors, includes, SUMMARY, front matter.
    Check(CheckArgs),
    /// Answer a question from a built site, without a server.
    Ask(AskArgs),
    /// Build the site, then serve it: pages, Markdown twins, `?ask=` answers.
    Serve(ServeArgs),
    /// Serve the documentation as MCP tools over stdio (search, get_page, ask, list_pages).
    Mcp(McpArgs),
    /// Start a new documentation folder: README, SUMMARY, a first page, docask.toml.
    Init(InitArgs),
    /// Print a shell completion script (`docask completions bash > …`).
    Completions(CompletionsArgs),
}

/// Arguments of `docask init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create (it may exist, but must be empty).
    #[arg(default_value = "content")]
    pub dir: PathBuf,
}

/// Arguments of `docask completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// Arguments of `docask build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder with the Markdown content.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// Folder to write the site to (replaced atomically).
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// Public URL of the site; makes agent-facing links absolute.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Treat warnings (broken links, anchors, images) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Build for `docask serve`, which runs its build as a process of its own: the
    /// pages point agents at the server's `?ask=` and `/mcp`.
    #[arg(long, hide = true)]
    pub served: bool,
}

/// Arguments of `docask check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Folder with the Markdown content.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
}

/// Arguments of `docask ask`.
#[derive(Debug, Args)]
pub struct AskArgs {
    /// Folder the site was built into.
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// Print the JSON response instead of Markdown.
    #[arg(long)]
    pub json: bool,
    /// Page the question is asked from (`/a/b.md`); its sections and neighbours rank higher.
    #[arg(long)]
    pub page: Option<String>,
    /// What you are trying to achieve; adds context to the question.
    #[arg(long)]
    pub goal: Option<String>,
    /// Print the ranked sections with their scores to stderr.
    #[arg(long, hide = true)]
    pub explain: bool,
    /// The question, in plain language (at most 1,000 characters).
    #[arg(value_parser = parse_question)]
    pub question: String,
}

/// Arguments of `docask mcp`.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// Folder the site was built into; a rebuild into it is picked up on the next call.
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
}

/// Arguments of `docask serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Folder with the Markdown content.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// Folder to build the site into and serve from.
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// Address to listen on (port 0 picks a free port, printed on stderr).
    #[arg(long, default_value = "127.0.0.1:3000")]
    pub addr: std::net::SocketAddr,
    /// Rebuild when the content changes and reload open pages.
    #[arg(long)]
    pub watch: bool,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
}

/// How much the commands print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// Errors, warnings and a summary.
    Normal,
    /// Also the details.
    Verbose,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    match cli.command {
        Command::Build(args) => run_build(args, verbosity),
        Command::Check(args) => run_check(args, verbosity),
        Command::Ask(args) => run_ask(args),
        Command::Serve(args) => crate::serve::run(&crate::serve::ServeOptions {
            content: args.content,
            out: args.out,
            addr: args.addr,
            watch: args.watch,
            open: args.open,
            verbosity,
        })
        .map(|()| ExitCode::SUCCESS),
        Command::Mcp(args) => {
            require_site(&args.out)?;
            crate::mcp::stdio::run(&args.out).map(|()| ExitCode::SUCCESS)
        }
        Command::Init(args) => {
            let written = crate::init::create(&args.dir)?;
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "created {} files in `{}`; next: docask serve --content {} --watch",
                    written,
                    args.dir.display(),
                    args.dir.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "docask", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Fails with one line when `out` holds no built site (`ask` and `mcp` read one).
fn require_site(out: &std::path::Path) -> Result<()> {
    if !crate::write::is_site(out) {
        anyhow::bail!("no site built in `{}`: run `docask build` first (or pass --out)", out.display());
    }
    Ok(())
}

fn run_build(args: BuildArgs, verbosity: Verbosity) -> Result<ExitCode> {
    let opts = BuildOptions {
        content: args.content,
        out: args.out,
        base_url: args.base_url,
        strict: args.strict,
        quiet: verbosity == Verbosity::Quiet,
        served: args.served,
    };
    let report = build::build(&opts)?;
    if verbosity != Verbosity::Quiet {
        for w in &report.warnings {
            eprintln!("{w}");
        }
        eprintln!("{}", report.summary(&opts.out));
    }
    if verbosity == Verbosity::Verbose {
        for u in &report.unlisted {
            eprintln!("note: {}: {}", u.file, u.message);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_check(args: CheckArgs, verbosity: Verbosity) -> Result<ExitCode> {
    let prepared = build::prepare(&args.content, None, None)?;
    let mut problems: Vec<&crate::diag::Diagnostic> =
        prepared.links.warnings.iter().chain(&prepared.unlisted).collect();
    problems.sort();
    for w in &problems {
        eprintln!("{}", crate::diag::Diagnostic { severity: crate::diag::Severity::Error, ..(*w).clone() });
    }
    let problems = problems.len();
    if verbosity != Verbosity::Quiet {
        eprintln!("checked {} pages: {problems} problem(s)", prepared.site.pages.len());
    }
    Ok(if problems == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn run_ask(args: AskArgs) -> Result<ExitCode> {
    require_site(&args.out)?;
    let engine = crate::ask::Engine::open(&args.out)?;
    let request =
        crate::ask::Request { question: &args.question, goal: args.goal.as_deref(), page: args.page.as_deref() };
    if args.explain {
        for (title, section, coverage, score) in engine.explain(&request)? {
            eprintln!("{score:8.3}  cov {coverage:.2}  {title} › {section}");
        }
    }
    let response = engine.ask(&request)?;
    let text = if args.json { serde_json::to_string_pretty(&response)? + "\n" } else { response.markdown() };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Accepts a question that is not empty and at most `MAX_QUESTION_CHARS` long.
fn parse_question(text: &str) -> std::result::Result<String, String> {
    let max = crate::ask::query::MAX_QUESTION_CHARS;
    if text.trim().is_empty() {
        Err("the question is empty: docask ask \"how do I …?\"".into())
    } else if text.chars().count() > max {
        Err(format!("the question is longer than {max} characters"))
    } else {
        Ok(text.to_string())
    }
}

/// Writes `text` to stdout. A reader that went away (`docask ask … | head`) is not an
/// error: `print!` would panic on the broken pipe.
fn write_stdout(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("failed to write the answer to stdout"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
