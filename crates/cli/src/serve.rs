//! `tumen serve`: the dashboard and the HTTP API over a dataset.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;
use tumen_server::{AppState, new_token};

use crate::config::Config;

#[derive(Args)]
pub struct ServeArgs {
    /// The dataset directory.
    #[arg(long, default_value = "tumen-data")]
    data: PathBuf,
    /// Where to listen (loopback by default; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// The token clients send (`Authorization: Bearer TOKEN`); default:
    /// $TUMEN_TOKEN, else the one in DATA/server-token (made on first start).
    #[arg(long)]
    token: Option<String>,
    /// Ask no token (refused unless bound to loopback).
    #[arg(long, conflicts_with = "token")]
    no_token: bool,
}

/// The file the generated token is kept in.
const TOKEN_FILE: &str = "server-token";

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    if args.no_token && !args.bind.ip().is_loopback() {
        bail!("--no-token on {}: a server others can reach needs a token", args.bind);
    }
    // The dashboard link carries the token in its fragment (never sent to
    // a server) when it is the one kept in the dataset, readable by whoever
    // reads this terminal's owner's files anyway; a token given is not
    // echoed.
    let (token, told, link_token) = if args.no_token {
        (None, "no token asked (loopback only)".to_owned(), None)
    } else if let Some(token) = args.token.clone().or_else(|| std::env::var("TUMEN_TOKEN").ok()) {
        if token.len() < 16 {
            bail!("the token is {} characters: use at least 16", token.len());
        }
        (Some(token), "the token given".to_owned(), None)
    } else {
        let path = args.data.join(TOKEN_FILE);
        let token = stored_token(&path)?;
        (Some(token.clone()), format!("token in {}", path.display()), Some(token))
    };
    let (config, _) = Config::for_dataset(None, &args.data)?;
    let corridors = tumen_chain::corridors_or_default(&config.corridor);
    let state = Arc::new(
        AppState::new(args.data.clone(), token, corridors)
            .with_context(|| format!("opening {}", args.data.display()))?,
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    runtime.block_on(async {
        let listener =
            tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("binding {}", args.bind))?;
        let address = listener.local_addr()?;
        // Told on stderr; a closed stderr (a supervisor that stopped
        // reading) must not stop the server.
        let mut told_to = std::io::stderr();
        let _ = writeln!(
            told_to,
            "serving {} on http://{address} ({told}); API at http://{address}/api/openapi.json",
            args.data.display()
        );
        if !address.ip().is_loopback() {
            let _ = writeln!(
                told_to,
                "warning: serving plain HTTP on {address}, which others can reach: the token and the data cross the network unencrypted; put a TLS proxy in front (docs/server.md)"
            );
        }
        let _ = match &link_token {
            Some(token) => writeln!(told_to, "dashboard: http://{address}/#token={token}"),
            None => writeln!(told_to, "dashboard: http://{address}/"),
        };
        tumen_server::serve(listener, state).await.context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The token kept in `path`, made (readable by its owner only) if there is none.
fn stored_token(path: &Path) -> Result<String> {
    let read = || std::fs::read_to_string(path).ok().map(|text| text.trim().to_owned()).filter(|t| t.len() >= 16);
    if let Some(token) = read() {
        return Ok(token);
    }
    // Written whole to a file of its own, then linked into place, which
    // fails if another server got there first: two servers started at
    // once on one dataset end with one token, never half of one.
    let token = new_token().map_err(|e| anyhow::anyhow!("no randomness for a token: {e}"))?;
    let draft = path.with_extension(format!("{}.draft", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&draft).with_context(|| format!("writing {}", draft.display()))?;
    std::io::Write::write_all(&mut file, format!("{token}\n").as_bytes())
        .with_context(|| format!("writing {}", draft.display()))?;
    drop(file);
    let linked = std::fs::hard_link(&draft, path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => Ok(token),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            read().with_context(|| format!("{} is there but holds no token: remove it", path.display()))
        }
        Err(e) => Err(e).with_context(|| format!("writing {}", path.display())),
    }
}
