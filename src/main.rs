//! The `entraide` command: run a node, migrate it, and the operator's `admin` commands.

use clap::{Parser, Subcommand};
use entraide::{
    app::App,
    clock::{Clock, SystemClock},
    config::{Config, LogFormat},
    service::accounts,
    storage,
};
use std::{io::Read, path::PathBuf, process::ExitCode};

/// jemalloc rather than glibc's malloc: see Cargo.toml and docs/benchmarks.md (issues 15, 17).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read at its start (`MALLOC_CONF` in the environment overrides them): a
/// background thread gives freed pages back to the system, which jemalloc otherwise does only
/// while the process allocates (an idle node kept what its last burst freed: 163 MiB resident
/// at 100,000 missions, 105 MiB with these), after a second rather than ten.
#[export_name = "malloc_conf"]
static MALLOC_CONF: &[u8; 60] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

#[derive(Parser)]
#[command(
    name = "entraide",
    version,
    about = "Volunteer missions and shared equipment for associations, federated over ActivityPub"
)]
struct Cli {
    /// Configuration file (TOML); ENTRAIDE__SECTION__KEY variables override it.
    #[arg(long, global = true, env = "ENTRAIDE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the node: web pages, API, federation and background delivery.
    Serve {
        /// Fill an empty node with sample associations and missions of the pays de Brest.
        #[arg(long)]
        demo: bool,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Operator commands.
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Subcommand)]
enum Admin {
    /// Create a user (the first user becomes the node's administrator).
    CreateUser {
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
        /// The person's full name (private; printed on their documents).
        #[arg(long)]
        full_name: Option<String>,
    },
    /// Take a user's email as confirmed (for a node that sends no email yet: registration
    /// stays open and the administrator confirms each new account by hand).
    ConfirmUser { name: String },
    /// Create an association owned by an existing user.
    CreateAssociation {
        name: String,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, default_value = "")]
        summary: String,
    },
    /// Create an API token for a user and print it.
    CreateToken {
        user: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
    /// Give a user a role in an association (member, coordinator or owner): naming another
    /// coordinator lets the last one delete their account.
    SetRole {
        association: String,
        user: String,
        role: String,
    },
    /// Make this node's relay follow an association (@name@host) or a whole node (https://host).
    Follow { target: String },
    /// Show the delivery queue.
    Queue,
    /// Rebuild the search index (`<data_dir>/search`) from the database, and ask every other
    /// process sharing the database to rebuild its own.
    Reindex,
    /// The sources of an aggregator (`[aggregator] enabled = true`).
    #[command(subcommand)]
    Source(SourceCommand),
    /// Check the configuration, the database, the data directory, the public URL, https and
    /// the clock: one line per check (ok, warn, fail, skip); fails when a check failed.
    Doctor {
        /// Another server (https://host) whose clock to compare with; without it, the node's
        /// own public URL answers.
        #[arg(long)]
        peer: Option<url::Url>,
    },
    /// Write the database and the data directory's files into one .tar.gz (while the node
    /// runs; PostgreSQL needs pg_dump).
    Backup { file: PathBuf },
    /// Restore a backup onto a fresh data directory and database.
    Restore {
        file: PathBuf,
        /// Replace a data directory's contents and a database that are not empty.
        #[arg(long)]
        force: bool,
    },
    /// Block a host (example.org), an account (@name@example.org) or an actor's URL: nothing
    /// accepted from it, fetched from it or sent to it; its follows and cached content go.
    /// Running nodes apply it within seconds.
    Block {
        target: String,
        /// Silence instead: accepted, but kept out of public lists and search.
        #[arg(long)]
        silence: bool,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Lift a block or a silence (by its number, host or actor).
    Unblock { target: String },
    /// The blocked and silenced hosts and accounts (the configuration's marked read-only).
    Blocks,
    /// The référents, who answer the requests for help ("Aidez-moi à trouver").
    #[command(subcommand)]
    Referent(ReferentCommand),
}

#[derive(Subcommand)]
enum ReferentCommand {
    /// Make a user a référent.
    Add { user: String },
    /// Take the role back.
    Remove { user: String },
    /// The référents, with the date each became one.
    List,
}

#[derive(Subcommand)]
enum SourceCommand {
    /// Follow a source: a node or a Mobilizon instance (https://host) or a group (@group@host).
    Add { target: String },
    /// The sources, with when each was last heard from and walked, and its errors.
    List,
    /// Stop following a source (by its number, address or host).
    Remove { source: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref(), std::env::vars());
    let configured = config.as_ref().map(|c| c.log.format).unwrap_or_default();
    let env = std::env::var("ENTRAIDE_LOG_FORMAT").ok();
    match LogFormat::from_env_or(configured, env.as_deref()) {
        Ok(format) => init_logs(format),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Log lines on standard error: text, or one JSON object a line.
fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("entraide=info,tower_http=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().with_current_span(false).init(),
    }
}

async fn run(
    cli: Cli,
    config: Result<Config, entraide::config::ConfigError>,
) -> anyhow::Result<ExitCode> {
    if let Command::Admin(Admin::Doctor { peer }) = &cli.command {
        let config = config.as_ref().map_err(ToString::to_string);
        let findings = entraide::admin::doctor::run(config, peer.as_ref()).await;
        for f in &findings {
            println!("{f}");
        }
        let failed = findings
            .iter()
            .any(|f| f.level == entraide::admin::doctor::Level::Fail);
        return Ok(if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let config = config?;
    match cli.command {
        Command::Serve { demo } => {
            let app = App::build(config).await?;
            entraide::demo::start(&app.state, demo).await?;
            app.serve().await?
        }
        Command::Migrate => {
            let store = storage::connect(&config.database_url(), 1).await?;
            println!("database is up to date ({})", store.backend());
        }
        Command::Admin(admin) => run_admin(config, admin).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_admin(config: Config, admin: Admin) -> anyhow::Result<()> {
    let base = config.base();
    let host = config.domain();
    match admin {
        Admin::CreateUser {
            name,
            email,
            password_stdin,
            full_name,
        } => {
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                Some(s.lines().next().unwrap_or("").to_string())
            } else {
                None
            };
            let store = storage::connect(&config.database_url(), 2).await?;
            let user = accounts::create_user(
                store.as_ref(),
                &base,
                &host,
                &name,
                email.as_deref(),
                password.as_deref(),
                SystemClock.now(),
            )
            .await?;
            if let Some(full_name) = full_name {
                let change = entraide::service::registration::ProfileChange {
                    full_name,
                    display_name: user.name.clone(),
                    language: String::new(),
                };
                entraide::service::registration::update_profile(
                    store.as_ref(),
                    &user,
                    change,
                    SystemClock.now(),
                )
                .await?;
            }
            println!(
                "created user {} ({}){}",
                user.name,
                format_args!("{base}/u/{}", user.name),
                if user.is_admin { ", administrator" } else { "" }
            );
        }
        Admin::ConfirmUser { name } => {
            let store = storage::connect(&config.database_url(), 2).await?;
            let user =
                entraide::service::registration::confirm_by_operator(store.as_ref(), &name).await?;
            println!("the email of {} is confirmed", user.name);
        }
        Admin::CreateAssociation {
            name,
            owner,
            display_name,
            summary,
        } => {
            let store = storage::connect(&config.database_url(), 2).await?;
            let a = accounts::create_association(
                store.as_ref(),
                &base,
                &host,
                &name,
                &owner,
                display_name.as_deref(),
                &summary,
                SystemClock.now(),
            )
            .await?;
            println!("created association {} ({})", a.handle(), a.ap_id);
        }
        Admin::CreateToken { user, label } => {
            let store = storage::connect(&config.database_url(), 2).await?;
            println!(
                "{}",
                accounts::create_token(store.as_ref(), &user, &label, SystemClock.now()).await?
            );
        }
        Admin::SetRole {
            association,
            user,
            role,
        } => {
            let store = storage::connect(&config.database_url(), 2).await?;
            let role = entraide::domain::account::Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("a role is member, coordinator or owner"))?;
            accounts::set_role(store.as_ref(), &association, &user, role).await?;
            println!("{user} is now {} of {association}", role.as_str());
        }
        Admin::Follow { target } => {
            let app = App::build(config).await?;
            let ctx = app.context();
            let actor = entraide::federation::resolve::resolve_actor(&ctx, &target).await?;
            let relay = app
                .state
                .store
                .find_local_actor("Application", "relay")
                .await?
                .ok_or_else(|| anyhow::anyhow!("the relay actor is missing"))?;
            let created =
                entraide::federation::inbox::record_following(&ctx, relay.id, &actor).await?;
            if created {
                println!(
                    "following {} ({}); the Follow is sent by the running node",
                    actor.actor.handle(),
                    actor.actor.ap_id
                );
            } else {
                println!(
                    "already following {} ({})",
                    actor.actor.handle(),
                    actor.actor.ap_id
                );
            }
        }
        Admin::Source(command) => run_source(config, command).await?,
        Admin::Referent(command) => {
            use entraide::service::help;
            let store = storage::connect(&config.database_url(), 1).await?;
            let store = store.as_ref();
            match command {
                ReferentCommand::Add { user } => {
                    let new = help::add_referent(store, None, &user, SystemClock.now()).await?;
                    let was = if new { "" } else { " (already)" };
                    println!("{user} is a référent{was}");
                }
                ReferentCommand::Remove { user } => {
                    let gone = help::remove_referent(store, None, &user).await?;
                    let was = if gone { "" } else { " (was not one)" };
                    println!("{user} is not a référent{was}");
                }
                ReferentCommand::List => {
                    for (u, at) in help::referents(store, None).await? {
                        println!("{} {}", u.name, at.to_rfc3339());
                    }
                }
            }
        }
        // Answered by `run`, which runs it even when the configuration does not load.
        Admin::Doctor { .. } => {}
        Admin::Backup { file } => {
            let m = entraide::admin::backup::backup(&config, &file).await?;
            println!(
                "backup written to {}: {} database at schema {}, {} files of the data directory",
                file.display(),
                m.backend,
                m.schema_version,
                m.files
            );
        }
        Admin::Restore { file, force } => {
            let m = entraide::admin::restore(&config, &file, force).await?;
            println!(
                "restored {} (Entraide {}, {} database, {}, {} files); start the node: it \
                 rebuilds its search index",
                file.display(),
                m.entraide_version,
                m.backend,
                m.created_at.to_rfc3339(),
                m.files
            );
        }
        Admin::Block {
            target,
            silence,
            reason,
        } => {
            use entraide::{domain::moderation::Severity, service::moderation};
            let app = App::build(config).await?;
            let ctx = app.context();
            let target = entraide::federation::moderation::target_of(&ctx, &target).await?;
            let severity = if silence {
                Severity::Silence
            } else {
                Severity::Block
            };
            let (rule, effects) = moderation::set_rule(
                ctx.store.as_ref(),
                &ctx.moderation,
                &ctx.config,
                None,
                target,
                severity,
                &reason,
                SystemClock.now(),
            )
            .await?;
            println!(
                "rule {}: {} {} ({} follows removed, {} items hidden)",
                rule.id.unwrap_or_default(),
                severity.as_str(),
                rule.target.value(),
                effects.follows,
                effects.items
            );
        }
        Admin::Unblock { target } => {
            let app = App::build(config).await?;
            let state = &app.state;
            let rule = entraide::service::moderation::lift_rule(
                state.store.as_ref(),
                &state.moderation,
                None,
                &target,
                SystemClock.now(),
            )
            .await?;
            println!("lifted: {} {}", rule.severity.as_str(), rule.target.value());
        }
        Admin::Blocks => {
            let store = storage::connect(&config.database_url(), 1).await?;
            let rules =
                entraide::service::moderation::list_rules(store.as_ref(), &config, None).await?;
            for r in rules {
                println!(
                    "{} {} {} {}{}",
                    r.id.map_or_else(|| "config".to_string(), |id| id.to_string()),
                    r.severity.as_str(),
                    r.target.kind(),
                    r.target.value(),
                    if r.reason.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", r.reason)
                    }
                );
            }
        }
        Admin::Queue => {
            let store = storage::connect(&config.database_url(), 1).await?;
            let stats = store.queue_stats().await?;
            println!(
                "pending {} delivered {} failed {}",
                stats.pending, stats.delivered, stats.failed
            );
        }
        Admin::Reindex => {
            let store = storage::connect(&config.database_url(), 2).await?;
            let search = entraide::search::Search::of_node(&config);
            let done =
                entraide::service::search::reindex(&search, store.as_ref(), SystemClock.now())
                    .await;
            match done {
                Ok(r) => {
                    let (_, bytes) = search.stats();
                    println!(
                        "search index rebuilt in {:.1} s: {} missions and events, {} resources \
                         ({}, {:.1} MiB)",
                        r.seconds,
                        r.missions,
                        r.resources,
                        search.dir().display(),
                        bytes as f64 / 1_048_576.0
                    );
                }
                Err(entraide::search::SearchError::Busy) => println!(
                    "the search index in {} is open in a running node: that node rebuilds it \
                     now (asked through the database, as is every other process sharing it)",
                    search.dir().display()
                ),
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

async fn run_source(config: Config, command: SourceCommand) -> anyhow::Result<()> {
    use entraide::service::sources;
    let app = App::build(config).await?;
    let ctx = app.context();
    let (store, config, now) = (ctx.store.as_ref(), &ctx.config, SystemClock.now());
    match command {
        SourceCommand::Add { target } => {
            let s = entraide::federation::aggregator::add_source(&ctx, None, &target).await?;
            println!(
                "source {} added: {} ({}), walking {}; the running node follows it and backfills",
                s.id,
                s.actor_ap_id,
                s.kind.as_str(),
                s.collection
            );
        }
        SourceCommand::List => {
            for view in sources::list(store, config, None, now).await? {
                let s = &view.source;
                let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
                    t.map_or_else(|| "never".to_string(), |t| t.to_rfc3339())
                };
                println!(
                    "{} {} {} items {} heard {} walked {} errors {}{}{}",
                    s.id,
                    s.actor_ap_id,
                    s.kind.as_str(),
                    view.items,
                    when(s.last_activity_at),
                    when(s.last_success_at),
                    s.error_count,
                    if s.last_error.is_empty() || s.error_count == 0 {
                        String::new()
                    } else {
                        format!(" ({})", s.last_error)
                    },
                    if view.silent { " SILENT" } else { "" }
                );
            }
        }
        SourceCommand::Remove { source } => {
            let s = sources::find(store, &source).await?;
            sources::remove(store, config, None, &s, now).await?;
            println!("source {} removed: {}", s.id, s.actor_ap_id);
        }
    }
    Ok(())
}
