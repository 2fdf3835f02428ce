//! `presswatch serve`: the API and web UI (`presswatch_server`) until Ctrl-C.

use crate::cli::{Global, ServeArgs};
use anyhow::{Context, Result};
use presswatch_server::{ServeOptions, Server};
use std::process::ExitCode;

pub(super) fn run(global: &Global, args: &ServeArgs) -> Result<ExitCode> {
    let options = ServeOptions {
        addr: args.addr,
        read_only: args.read_only,
        token: args.token.clone(),
        threads: global.threads,
        ..ServeOptions::new(global.store.clone())
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server")?;
    runtime.block_on(async {
        let server = Server::bind(options).await?;
        let url = format!("http://{}/", server.local_addr());
        match server.token() {
            Some(token) if args.token.is_none() => {
                println!("presswatch: serving {url} (writes need: Authorization: Bearer {token})")
            }
            Some(_) => println!("presswatch: serving {url} (writes need the token given)"),
            None => println!("presswatch: serving {url} read-only"),
        }
        server
            .run(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
