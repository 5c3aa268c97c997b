//! `waakvlam`: the one binary. Wires the store, the web layer and the demo
//! together; every command exits non-zero with a clear message on bad input.

use std::io::{BufRead, IsTerminal, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use rand::Rng;
use waakvlam_domain::ids::{AgbCode, Bsn, Email, MunicipalityCode};
use waakvlam_domain::monitoring::{Assumptions, Mask, Period};
use waakvlam_domain::role::Role;
use waakvlam_domain::signal::ThresholdField;
use waakvlam_store::access;
use waakvlam_store::accounts::{self, NewAccount, Organisation};
use waakvlam_store::import::{self, ImportError};
use waakvlam_store::signals::{self, SettingsScope};
use waakvlam_store::{
    Actor, ShiftedClock, Store, StoreError, SystemClock, TeamId, monitoring, organisations,
    reports, residents,
};
use waakvlam_web::i18n::{Lang, Tr};
use waakvlam_web::{AppState, WebConfig};

#[derive(Parser)]
#[command(
    name = "waakvlam",
    version = waakvlam_web::version(),
    about = "Waakvlam: light-touch Wmo support after intensive guidance — keep a finger on the pulse, scale up at once, scale down when it goes well."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (migrations run at start).
    Serve(ServeArgs),
    /// Fill a database with the synthetic demo region (when empty) and serve it.
    Demo(DemoArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Write a consistent copy of a SQLite database to a new file (VACUUM INTO), also while the server runs.
    /// For PostgreSQL use pg_dump (docs/OPERATIONS.md).
    Backup(BackupArgs),
    /// Put a backup in place as the SQLite database: the file is checked (a Waakvlam database, migrations known
    /// to this version), copied next to the target and renamed over it. Stop the server first. For PostgreSQL use
    /// pg_restore (docs/OPERATIONS.md).
    Restore(RestoreArgs),
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import data from an existing system (CSV, UTF-8, header row). A file with any bad line is rejected whole.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Show or set the signal thresholds of a municipality or team (caseload signals).
    Signals {
        #[command(subcommand)]
        command: SignalsCommand,
    },
    /// Print reports.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Check the access log (NEN 7513): its hash chain, and its head.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// iWmo 3.2 messages with municipalities and providers (allocations, …), exchanged as files.
    Iwmo {
        #[command(subcommand)]
        command: IwmoCommand,
    },
    /// Declare a period (iWmo WMO323): for each provider working here, or the one given, what each indication is
    /// due in the period per its tariff — one WMO323 per municipality, waiting for `iwmo export`. Declaring a period
    /// again writes only what changed: a credit for each earlier line and a new debit.
    Declare(DeclareArgs),
    /// Deliver notifications (e-mail over SMTP); `serve` does this every minute by itself.
    Notify {
        #[command(subcommand)]
        command: NotifyCommand,
    },
}

#[derive(Subcommand)]
enum IwmoCommand {
    /// Write every outgoing message that waits (a WMO301 for each allocation a consultant decided, …) into
    /// --out as one XML file each, named by message type and identification (WMO301_WVL000000017.xml), and mark
    /// them sent. Hand the files to your transport (GGk/VECOZO) or upload them. A file written again by a second
    /// export has the same name and content.
    Export(IwmoExportArgs),
    /// Read received messages (WMO301 allocations, WMO305/307 starts and stops, WMO315/317 requests and WMO319
    /// answers, WMO323 declarations — answered at once with a WMO325 —, the retours 302/306/308/316/318/320 and the
    /// WMO325 answer to a declaration sent from here): each is checked against its XSD (those of one kind together,
    /// in as few xmllint runs as possible) and the standard's content rules, then
    /// applied whole or not at all — a new allocation lands in the provider's intake inbox — and its retour message
    /// (with the retour codes) waits for the next export. Reading a message again changes nothing. Exits non-zero
    /// only for a file that cannot be read as an iWmo 3.2 message at all.
    Import(IwmoImportArgs),
}

#[derive(Args)]
struct IwmoImportArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The message files (XML).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Args)]
struct DeclareArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The declaration period: a month (2026-11) or four weeks (2026-11-02/2026-11-29), as the contract agrees.
    #[arg(long)]
    period: String,
    /// The provider's AGB code; without it, every provider with a team in this installation.
    #[arg(long)]
    provider: Option<String>,
}

#[derive(Args)]
struct IwmoExportArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The folder to write the messages to (created if missing).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Subcommand)]
enum NotifyCommand {
    /// One pass: escalate bells nobody picked up in time (to the team leads), then mail every notification that
    /// is due, with retries and backoff for failures. Prints what it sent and what failed. Without --smtp-url it
    /// only escalates: notifications then stay in the app (/notifications).
    Run(NotifyRunArgs),
}

#[derive(Args)]
struct NotifyRunArgs {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    mail: MailArgs,
}

/// Where notifications are mailed. A mail names only the kind of event and links to its page: never a
/// resident's name, BSN or anything they wrote.
#[derive(Args)]
struct MailArgs {
    /// SMTP server for notification e-mail: smtp://HOST:PORT (plain, e.g. a relay on loopback:
    /// smtp://127.0.0.1:2525), smtp://HOST:587?tls=required (STARTTLS) or smtps://HOST (TLS); add USER:PASSWORD@
    /// for a login. Not set: no e-mail is sent, and the staff start page says so.
    #[arg(long, env = "WAAKVLAM_SMTP_URL")]
    smtp_url: Option<String>,
    /// The sender of notification e-mail.
    #[arg(
        long,
        env = "WAAKVLAM_MAIL_FROM",
        default_value = "Waakvlam <waakvlam@localhost>"
    )]
    mail_from: String,
    /// The address people open Waakvlam at; the links in e-mails start with it.
    #[arg(
        long,
        env = "WAAKVLAM_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
}

impl MailArgs {
    fn mailer(&self) -> Result<Option<waakvlam_notify::Mailer>> {
        let Some(url) = self.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        let config = waakvlam_notify::MailConfig {
            smtp_url: url.to_owned(),
            from: self.mail_from.clone(),
            public_url: self.public_url.clone(),
        };
        Ok(Some(waakvlam_notify::Mailer::new(&config)?))
    }
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Print the number of entries and the newest hash of the access log's
    /// chain. Keep it outside the installation: `verify --head` then also
    /// notices entries cut off the end.
    Head(DbArgs),
    /// Recompute the access log's hash chain; name the first entry that was
    /// changed, put in or removed. Exits with an error when the chain breaks.
    Verify(AuditVerifyArgs),
}

#[derive(Args)]
struct AuditVerifyArgs {
    #[command(flatten)]
    db: DbArgs,
    /// A head printed earlier by `audit head`: it must still be in the chain.
    #[arg(long)]
    head: Option<String>,
}

#[derive(Args)]
struct DbArgs {
    /// Database URL: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "WAAKVLAM_DATABASE_URL",
        default_value = "sqlite://waakvlam.db"
    )]
    database_url: String,
}

#[derive(Args)]
struct BackupArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The backup file to write; it must not exist yet.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct RestoreArgs {
    /// The database to restore into: sqlite://FILE.
    #[command(flatten)]
    db: DbArgs,
    /// The backup file (made by `waakvlam backup`).
    #[arg(long)]
    from: PathBuf,
    /// Replace the database when it exists.
    #[arg(long)]
    force: bool,
}

/// Monitoring: `/metrics` in the Prometheus format, on an address of its own.
#[derive(Args)]
struct MetricsArgs {
    /// Serve GET /metrics (Prometheus text format) on this address, e.g. 127.0.0.1:9464; never on the public
    /// address. Not set: no metrics endpoint.
    #[arg(long, env = "WAAKVLAM_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "WAAKVLAM_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    db: DbArgs,
    /// The number of reverse proxies in front of the server. The client
    /// address is the one the outermost proxy added to X-Forwarded-For
    /// (counted from the right), and X-Forwarded-Proto: https from them turns
    /// on HSTS. 0 (the default): no proxy, the peer address counts.
    #[arg(long, env = "WAAKVLAM_TRUSTED_PROXIES", default_value_t = 0)]
    trusted_proxies: usize,
    /// Same as --trusted-proxies 1 (kept for existing installations).
    #[arg(
        long,
        env = "WAAKVLAM_TRUST_FORWARDED_FOR",
        conflicts_with = "trusted_proxies"
    )]
    trust_forwarded_for: bool,
    /// Days access-log entries are kept; older ones are removed by the server (at most every 10 minutes).
    /// NEN 7513 asks for at least five years (the default).
    #[arg(
        long,
        env = "WAAKVLAM_ACCESS_LOG_RETENTION_DAYS",
        default_value_t = waakvlam_store::retention::DEFAULT_ACCESS_LOG_DAYS,
        value_parser = clap::value_parser!(u32).range(1..=36_500)
    )]
    access_log_retention_days: u32,
    /// Seconds between two passes of the notification worker (escalation of unheard bells, mail). Several
    /// servers on one database escalate once a round between them and each mails the notifications it claimed.
    #[arg(
        long,
        env = "WAAKVLAM_NOTIFY_INTERVAL_SECS",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    notify_interval_secs: u64,
    #[command(flatten)]
    metrics: MetricsArgs,
    #[command(flatten)]
    mail: MailArgs,
}

#[derive(Args)]
struct DemoArgs {
    /// Address to listen on.
    #[arg(long, env = "WAAKVLAM_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Database URL for the demo.
    #[arg(
        long,
        env = "WAAKVLAM_DATABASE_URL",
        default_value = "sqlite://waakvlam-demo.db"
    )]
    database_url: String,
    /// Seed of the synthetic data: the same seed gives the same region.
    #[arg(long, default_value_t = 2021)]
    seed: u64,
    /// Delete the demo database first (SQLite files only) and seed it anew.
    #[arg(long)]
    reset: bool,
    /// The day the demo region is dated for, as YYYY-MM-DD; the server's clock then runs as if it were that day,
    /// so a test run is reproducible. Default: the real today.
    #[arg(long, value_parser = parse_day)]
    today: Option<chrono::NaiveDate>,
    #[command(flatten)]
    metrics: MetricsArgs,
    #[command(flatten)]
    mail: MailArgs,
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date as YYYY-MM-DD, e.g. 2026-11-24"))
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from the first line of standard input; when standard input is a
    /// terminal and nothing is typed, one is generated and printed once.
    Add(UserAddArgs),
}

#[derive(Args)]
struct UserAddArgs {
    #[arg(long)]
    email: String,
    /// Display name.
    #[arg(long)]
    name: String,
    /// admin, consultant, professional, team_lead, analyst, resident, contract_manager or trusted_person.
    #[arg(long)]
    role: String,
    /// The organisation: a 4-digit municipality code, an 8-digit provider AGB code, team:ID, region:NAME, or
    /// bsn:NNNNNNNNN for a resident's own account.
    #[arg(long)]
    organisation: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// agb_code,name
    Providers(ImportArgs),
    /// bsn,birth_date,family_name,prefix,given_names,municipality_code
    Residents(ImportArgs),
    /// bsn,birth_date,family_name,given_names,municipality_code,product_code,provider_agb,issued_on,start_date,
    /// end_date,planned_scale_down_date
    Indications(ImportArgs),
}

#[derive(Args)]
struct ImportArgs {
    /// The CSV file.
    file: PathBuf,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Subcommand)]
enum SignalsCommand {
    /// Print the thresholds in force (defaults, then municipality, then team).
    Show(SignalsScopeArgs),
    /// Override thresholds, e.g. `waakvlam_rhythm_days=21 contact_grace_days=2`; `KEY=` removes an override.
    Set {
        #[command(flatten)]
        scope: SignalsScopeArgs,
        /// KEY=VALUE pairs; keys: waakvlam_rhythm_days, individual_rhythm_days, intensive_rhythm_days,
        /// contact_grace_days, check_in_expected_days, wellbeing_window, wellbeing_low, indication_ending_days,
        /// bell_grace_hours, bell_escalation_working_hours, unassigned_working_days. A team lead sets their
        /// team's on /team/thresholds.
        #[arg(required = true)]
        values: Vec<String>,
    },
}

#[derive(Args)]
struct SignalsScopeArgs {
    /// A municipality (4-digit CBS code).
    #[arg(long)]
    municipality: Option<String>,
    /// A team (numeric id).
    #[arg(long)]
    team: Option<i64>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Indications issued per municipality in a year.
    Indications(ReportArgs),
    /// Pathway flows (scale-downs, waakvlam endings, re-escalations), the results assessed at the end, and scale-down planning.
    Flows(FlowsArgs),
    /// Spend per product and funding variant, own contributions and the avoided-cost estimate.
    Costs(CostsArgs),
    /// Finger on the pulse: contacts, rhythm adherence, bells and check-ins in waakvlam.
    Pulse(PulseArgs),
}

/// What every monitoring report takes: the period, filters, format and masking.
#[derive(Args)]
struct MonitoringArgs {
    /// A calendar year (or give --from and --to).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    year: Option<i32>,
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, requires = "to")]
    from: Option<chrono::NaiveDate>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, requires = "from")]
    to: Option<chrono::NaiveDate>,
    /// Only this region (its name).
    #[arg(long)]
    region: Option<String>,
    /// Only this municipality (4-digit CBS code).
    #[arg(long)]
    municipality: Option<String>,
    /// Only this provider (8-digit AGB code).
    #[arg(long)]
    provider: Option<String>,
    /// Only this product code (e.g. WVL).
    #[arg(long)]
    product: Option<String>,
    /// Only one table of the report (CSV prints the first table when not given).
    #[arg(long)]
    table: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Mask counts below the threshold, for publication ("<5"; cells they could be
    /// recovered from, and figures derived from them, "x").
    #[arg(long)]
    mask: bool,
    /// The masking threshold.
    #[arg(long, default_value_t = waakvlam_domain::monitoring::DEFAULT_MASK_THRESHOLD)]
    mask_threshold: u64,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Args)]
struct FlowsArgs {
    #[command(flatten)]
    common: MonitoringArgs,
    /// Days after the planned moment a scale-down still counts as on time.
    #[arg(long, default_value_t = 31)]
    on_time_days: u32,
}

#[derive(Args)]
struct CostsArgs {
    #[command(flatten)]
    common: MonitoringArgs,
    /// Assumption: months a resident would otherwise have stayed in the heavier product.
    #[arg(long, default_value_t = 6)]
    months_avoided: u32,
    /// Assumption: hours per month of a product paid per hour.
    #[arg(long, default_value_t = 8)]
    hours_per_month: u32,
}

#[derive(Args)]
struct PulseArgs {
    #[command(flatten)]
    common: MonitoringArgs,
    /// Days beyond the agreed rhythm a gap between contacts may last.
    #[arg(long, default_value_t = 7)]
    rhythm_grace_days: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Args)]
struct ReportArgs {
    #[arg(long)]
    year: i32,
    /// Only this product code (e.g. WVL).
    #[arg(long)]
    product: Option<String>,
    /// Only this municipality (4-digit CBS code).
    #[arg(long)]
    municipality: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    db: DbArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("WAAKVLAM_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let json = std::env::var("WAAKVLAM_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// A store error for the operator: refused input names the option it came
/// from, in the same words as the English web pages.
fn option_error(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Conflict(refusal) => {
            let t = Tr(Lang::En);
            anyhow!("{}", t.refusal(&refusal.reason, None))
        }
        StoreError::Invalid(refusals) => {
            let t = Tr(Lang::En);
            anyhow!(
                "{}",
                refusals
                    .iter()
                    .map(|r| format!("--{}: {}", r.field, t.refusal(&r.reason, None)))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
        other => anyhow!(other),
    }
}

async fn open(url: &str) -> Result<Store> {
    Ok(Store::open(url, Arc::new(SystemClock)).await?)
}

/// The demo's store: on the real clock, or on one where today is `today`.
async fn open_demo(url: &str, today: Option<chrono::NaiveDate>) -> Result<Store> {
    Ok(match today {
        Some(day) => Store::open(url, Arc::new(ShiftedClock::with_today(day))).await?,
        None => Store::open(url, Arc::new(SystemClock)).await?,
    })
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let mailer = args.mail.mailer()?;
            let metrics = bind_metrics(&args.metrics).await?;
            let store = open(&args.db.database_url).await?;
            let config = WebConfig {
                trusted_proxies: if args.trust_forwarded_for {
                    1
                } else {
                    args.trusted_proxies
                },
                mail_configured: mailer.is_some(),
                access_log_retention: chrono::Duration::days(i64::from(
                    args.access_log_retention_days,
                )),
                ..WebConfig::default()
            };
            let listener = bind(args.addr).await?;
            let workers = Workers {
                mailer,
                notify_every: Duration::from_secs(args.notify_interval_secs),
            };
            serve(store, config, listener, metrics, None, workers).await
        }
        Command::Demo(args) => demo(args).await,
        Command::Migrate(args) => {
            let store = open(&args.database_url).await?;
            store.close().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Backup(args) => backup(args).await,
        Command::Restore(args) => restore(args).await,
        Command::User {
            command: UserCommand::Add(args),
        } => user_add(args).await,
        Command::Import { command } => import_command(command).await,
        Command::Signals { command } => signals_command(command).await,
        Command::Audit { command } => audit_command(command).await,
        Command::Notify {
            command: NotifyCommand::Run(args),
        } => notify_run(args).await,
        Command::Iwmo {
            command: IwmoCommand::Export(args),
        } => iwmo_export(args).await,
        Command::Iwmo {
            command: IwmoCommand::Import(args),
        } => iwmo_import(args).await,
        Command::Declare(args) => declare(args).await,
        Command::Report {
            command: ReportCommand::Indications(args),
        } => report_indications(args).await,
        Command::Report {
            command: ReportCommand::Flows(args),
        } => {
            let assumptions = Assumptions {
                on_time_days: args.on_time_days,
                ..Assumptions::default()
            };
            report_monitoring(
                args.common,
                assumptions,
                &["flows", "flow_times", "results", "planning", "inventory"],
            )
            .await
        }
        Command::Report {
            command: ReportCommand::Costs(args),
        } => {
            let assumptions = Assumptions {
                months_avoided: args.months_avoided,
                hours_per_month: args.hours_per_month,
                ..Assumptions::default()
            };
            report_monitoring(args.common, assumptions, &["costs", "avoided"]).await
        }
        Command::Report {
            command: ReportCommand::Pulse(args),
        } => {
            let assumptions = Assumptions {
                rhythm_grace_days: args.rhythm_grace_days,
                ..Assumptions::default()
            };
            report_monitoring(args.common, assumptions, &["pulse", "pulse_months"]).await
        }
    }
}

async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))
}

/// Binds the metrics address, when one is given.
async fn bind_metrics(args: &MetricsArgs) -> Result<Option<tokio::net::TcpListener>> {
    match args.metrics_addr {
        Some(addr) => Ok(Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("--metrics-addr: cannot listen on {addr}"))?,
        )),
        None => Ok(None),
    }
}

/// The SQLite file of a `sqlite://` URL, or the PostgreSQL advice.
fn sqlite_file(url: &str) -> Result<PathBuf> {
    match url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Some(rest) => {
            let path = rest.split('?').next().unwrap_or(rest);
            if path.is_empty() || path == ":memory:" {
                bail!("--database-url: {url} names no database file");
            }
            Ok(PathBuf::from(path))
        }
        None if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Err(waakvlam_store::backup::BackupError::Postgres.into())
        }
        None => bail!("--database-url: expected sqlite://FILE (or postgres://…), not {url}"),
    }
}

async fn backup(args: BackupArgs) -> Result<()> {
    let source = sqlite_file(&args.db.database_url)?;
    if !source.is_file() {
        bail!("{} does not exist: nothing to back up", source.display());
    }
    if args.out.exists() {
        return Err(waakvlam_store::backup::BackupError::OutExists(args.out).into());
    }
    // Connect without migrating: the backup is of the database as it is.
    let store = Store::connect(&args.db.database_url, Arc::new(SystemClock)).await?;
    store.backup_to(&args.out).await?;
    store.close().await?;
    println!(
        "backup of {} written to {}",
        source.display(),
        args.out.display()
    );
    Ok(())
}

async fn restore(args: RestoreArgs) -> Result<()> {
    let target = sqlite_file(&args.db.database_url)?;
    let info = waakvlam_store::backup::restore(&args.from, &target, args.force).await?;
    println!(
        "restored {} to {} ({} migrations{})",
        args.from.display(),
        target.display(),
        info.migrations,
        if info.behind > 0 {
            format!(
                "; {} newer ones are applied at the next start or by `waakvlam migrate`",
                info.behind
            )
        } else {
            String::new()
        }
    );
    Ok(())
}

/// The background work of a server beside its requests.
struct Workers {
    /// Where notifications are mailed; none: they stay in the app.
    mailer: Option<waakvlam_notify::Mailer>,
    /// How often the notification worker runs.
    notify_every: Duration,
}

async fn serve(
    store: Store,
    config: WebConfig,
    listener: tokio::net::TcpListener,
    metrics: Option<tokio::net::TcpListener>,
    banner: Option<String>,
    workers: Workers,
) -> Result<()> {
    let Workers {
        mailer,
        notify_every,
    } = workers;
    let local = listener.local_addr()?;
    if let Some(text) = banner {
        println!("{text}");
    }
    println!("Waakvlam is running at http://{local}/ (stop with Ctrl+C)");
    tracing::info!(%local, backend = ?store.backend(), "serving");
    // SQLite's planner statistics go stale as tables grow; SQLite advises a
    // `PRAGMA optimize` every few hours for long-running processes.
    let optimizer = store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(4 * 3600));
        every.tick().await;
        loop {
            every.tick().await;
            if let Err(e) = optimizer.optimize().await {
                tracing::warn!(error = %e, "PRAGMA optimize failed");
            }
        }
    });
    // Notifications: escalations and mail, every minute (several servers on
    // one database escalate once a round between them, under an advisory
    // lock, and each claims its own rows, so nothing is sent twice).
    if mailer.is_none() {
        tracing::warn!("no --smtp-url: notifications are not mailed, only shown in the app");
    }
    tokio::spawn(waakvlam_notify::run_periodically(
        store.clone(),
        mailer,
        notify_every,
    ));
    // The metrics endpoint lives as long as the application does.
    let metrics = match metrics {
        Some(metrics) => {
            let at = metrics.local_addr()?;
            println!("Metrics at http://{at}/metrics");
            let store = store.clone();
            Some(tokio::spawn(async move {
                let forever = std::future::pending::<()>();
                if let Err(e) = waakvlam_web::metrics::serve_metrics(metrics, store, forever).await
                {
                    tracing::error!(error = %e, "the metrics endpoint stopped");
                }
            }))
        }
        None => None,
    };
    let served = waakvlam_web::serve(listener, AppState { store, config }, shutdown_signal()).await;
    if let Some(task) = metrics {
        task.abort();
    }
    served?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl+C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

async fn demo(args: DemoArgs) -> Result<()> {
    // Claim the port first: a port in use is reported before any seeding.
    let listener = bind(args.addr).await?;
    let metrics = bind_metrics(&args.metrics).await?;
    if args.reset {
        let Some(path) = args.database_url.strip_prefix("sqlite://") else {
            bail!(
                "--reset only deletes SQLite demo databases; empty a PostgreSQL database yourself"
            );
        };
        let path = path.split('?').next().unwrap_or(path);
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(anyhow!("cannot delete {file}: {e}")),
            }
        }
    }
    let store = open_demo(&args.database_url, args.today).await?;
    let logins = if waakvlam_demo::is_empty(&store).await? {
        let today = store.clock().today();
        println!(
            "Filling {} with the demo region (seed {}, dated for {today})…",
            args.database_url, args.seed
        );
        let summary = waakvlam_demo::seed(&store, args.seed, today).await?;
        // Statistics for the planner now that the tables hold data.
        store.optimize().await?;
        println!("{summary}");
        summary.logins
    } else {
        println!(
            "{} already holds data; serving it as it is (use --reset to start over).",
            args.database_url
        );
        waakvlam_demo::logins()
    };
    let mut banner = String::from("\nDemo logins (password for all: ");
    banner.push_str(waakvlam_demo::DEMO_PASSWORD);
    banner.push_str("):\n");
    // Columns as wide as the longest role and address, so the list stays aligned.
    let role_width = logins
        .iter()
        .map(|l| l.role.as_str().len())
        .max()
        .unwrap_or(0);
    let email_width = logins.iter().map(|l| l.email.len()).max().unwrap_or(0);
    for l in &logins {
        banner.push_str(&format!(
            "  {:<role_width$} {:<email_width$} {}\n",
            l.role.as_str(),
            l.email,
            l.name
        ));
    }
    let mailer = args.mail.mailer()?;
    let config = WebConfig {
        mail_configured: mailer.is_some(),
        ..WebConfig::default()
    };
    let workers = Workers {
        mailer,
        notify_every: Duration::from_secs(60),
    };
    serve(store, config, listener, metrics, Some(banner), workers).await
}

async fn notify_run(args: NotifyRunArgs) -> Result<()> {
    let mailer = args.mail.mailer()?;
    let store = open(&args.db.database_url).await?;
    let worker = waakvlam_notify::worker_name();
    let report = waakvlam_notify::run_pass(&store, mailer.as_ref(), &worker).await?;
    println!("escalated bells: {}", report.escalated);
    if report.mail_off {
        println!(
            "no --smtp-url (WAAKVLAM_SMTP_URL): nothing mailed; notifications stay in the app"
        );
    }
    for (id, to, kind) in &report.sent {
        println!("sent     notification {id} ({}) to {to}", kind.as_str());
    }
    for (id, to, error, given_up) in &report.failed {
        let what = if *given_up { "given up" } else { "will retry" };
        println!("failed   notification {id} to {to} ({what}): {error}");
    }
    println!(
        "{} sent ({} daily summaries), {} failed",
        report.sent.len(),
        report.summaries,
        report.failed.len()
    );
    store.close().await?;
    if report.failed.is_empty() {
        Ok(())
    } else {
        bail!(
            "{} notification(s) could not be mailed",
            report.failed.len()
        )
    }
}

/// Writes the pending iWmo messages as files, each durably (a temporary name,
/// fsync, rename) before any is marked sent: a crash in between only means the
/// next export writes the same files again.
async fn iwmo_export(args: IwmoExportArgs) -> Result<()> {
    let store = open(&args.db.database_url).await?;
    let actor = Actor::system("waakvlam iwmo export");
    let pending = store
        .read(&actor, async |cx| waakvlam_store::iwmo::pending(cx).await)
        .await?;
    // Nothing leaves that does not validate: such a message stays pending and is reported.
    let schemas = waakvlam_iwmo::schema::Schemas::unpack()?;
    let mut messages = Vec::new();
    let mut invalid = 0;
    for m in pending {
        match schemas.validate(m.kind, &m.xml) {
            Ok(()) => messages.push(m),
            Err(e) => {
                invalid += 1;
                eprintln!("not exported, kept pending: {}: {e}", m.file_name());
            }
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the folder {}", args.out.display()))?;
    for m in &messages {
        let path = args.out.join(m.file_name());
        let partial = args.out.join(format!(".{}.partial", m.file_name()));
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&partial)?;
            std::io::Write::write_all(&mut file, m.xml.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&partial, &path)
        };
        write().with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Ok(dir) = std::fs::File::open(&args.out) {
        // The renames themselves are durable once the folder is synced.
        let _ = dir.sync_all();
    }
    store
        .write(&actor, async |cx| {
            waakvlam_store::iwmo::mark_sent(cx, &messages).await
        })
        .await?;
    for m in &messages {
        println!("{}", args.out.join(m.file_name()).display());
    }
    println!(
        "{} message(s) written to {}",
        messages.len(),
        args.out.display()
    );
    store.close().await?;
    if invalid > 0 {
        bail!("{invalid} message(s) did not validate against their XSD and were not exported");
    }
    Ok(())
}

/// Reads received iWmo messages, each in its own transaction, the XSD
/// checks of one kind together (see `IwmoCommand::Import`).
async fn iwmo_import(args: IwmoImportArgs) -> Result<()> {
    use waakvlam_store::iwmo::Receipt;
    use waakvlam_store::iwmo::inbox::{self, Outcome};
    let store = open(&args.db.database_url).await?;
    let actor = Actor::system("waakvlam iwmo import");
    let schemas = std::sync::Arc::new(waakvlam_iwmo::schema::Schemas::unpack()?);
    let mut unreadable = Vec::new();
    let mut names = Vec::new();
    let mut docs = Vec::new();
    for file in &args.files {
        match std::fs::read(file) {
            Ok(bytes) => {
                names.push(file.display().to_string());
                docs.push(bytes);
            }
            Err(e) => unreadable.push(format!("{}: cannot be read: {e}", file.display())),
        }
    }
    let outcomes = inbox::receive_all(&store, &actor, schemas, docs).await?;
    for (name, outcome) in names.iter().zip(outcomes) {
        let (header, receipt) = match outcome {
            Outcome::Read { header, receipt } => (header, receipt),
            Outcome::Unreadable(why) => {
                unreadable.push(format!("{name}: {why}"));
                continue;
            }
        };
        let label = format!(
            "{name}: {} {} from {}",
            header.kind.name().to_ascii_uppercase(),
            header.identification,
            header.sender
        );
        let retour = waakvlam_iwmo::retour::retour_of(header.kind)
            .map_or_else(String::new, |(k, _)| k.name().to_ascii_uppercase());
        match receipt {
            Receipt::Applied {
                resident,
                indications,
                ..
            } => println!(
                "{label}: applied (resident {resident}, {} allocation(s)); retour {retour} waits for the export",
                indications.len()
            ),
            Receipt::Rejected { codes, why, .. } => {
                let codes: Vec<&str> = codes.iter().map(|c| c.code()).collect();
                if retour.is_empty() {
                    // A retour is not answered.
                    println!("{label}: rejected; nothing applied");
                } else {
                    println!(
                        "{label}: rejected with retour code(s) {}; nothing applied; the retour {retour} waits for the export",
                        codes.join(" ")
                    );
                }
                for w in why {
                    println!("    {w}");
                }
            }
            Receipt::AlreadyRead { .. } => {
                println!("{label}: read before; nothing changed");
            }
            Receipt::Declared {
                granted, refused, ..
            } => println!(
                "{label}: {granted} line(s) granted, {refused} refused; the answer WMO325 waits for the export"
            ),
            Receipt::Answered {
                answers,
                accepted: true,
                ..
            } => println!("{label}: message {answers} was accepted"),
            Receipt::Answered { answers, codes, .. } => {
                let codes: Vec<&str> = codes.iter().map(|c| c.code()).collect();
                println!(
                    "{label}: message {answers} was refused with retour code(s) {}; see /iwmo/{answers}",
                    codes.join(" ")
                );
            }
        }
    }
    store.close().await?;
    if unreadable.is_empty() {
        Ok(())
    } else {
        for u in &unreadable {
            eprintln!("{u}");
        }
        bail!(
            "{} file(s) could not be read as iWmo 3.2 messages",
            unreadable.len()
        )
    }
}

async fn declare(args: DeclareArgs) -> Result<()> {
    use waakvlam_domain::declaration::DeclarationPeriod;
    let period =
        DeclarationPeriod::parse(&args.period).map_err(|e| anyhow::anyhow!("--period: {e}"))?;
    let store = open(&args.db.database_url).await?;
    let today = store
        .now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    if period.end() >= today {
        bail!(
            "--period {}: the period runs until {}; what was delivered is declared after its last day",
            args.period,
            period.end()
        );
    }
    let actor = Actor::system("waakvlam declare");
    let providers = store
        .read(&actor, async |cx| {
            waakvlam_store::organisations::providers_working_here(cx, args.provider.as_deref())
                .await
        })
        .await?;
    if providers.is_empty() {
        match &args.provider {
            Some(agb) => {
                bail!("--provider {agb}: no provider with that AGB code works in this installation")
            }
            None => bail!("no provider works in this installation (none has a team)"),
        }
    }
    for (provider_id, name) in providers {
        let outcome = store
            .write(&actor, async |cx| {
                waakvlam_store::declarations::declare(cx, provider_id, period).await
            })
            .await?;
        if outcome.declarations.is_empty() {
            println!(
                "{name}: nothing new to declare for {} to {}",
                period.start(),
                period.end()
            );
        }
        for d in &outcome.declarations {
            println!(
                "{name}: declaration {} to {} for {} to {}: {} debit and {} credit line(s), net {}{}; the WMO323 waits for the export",
                d.number,
                d.municipality_code,
                period.start(),
                period.end(),
                d.debits,
                d.credits,
                waakvlam_domain::money::Cents(d.total),
                if d.capped > 0 {
                    format!(
                        " ({} line(s) by the hour cut at the budget ceiling)",
                        d.capped
                    )
                } else {
                    String::new()
                }
            );
        }
        if !outcome.without_tariff.is_empty() {
            println!(
                "{name}: no tariff in force, not declared: allocation(s) {}",
                outcome.without_tariff.join(", ")
            );
        }
        if !outcome.other_period.is_empty() {
            println!(
                "{name}: the contract agrees the other kind of period, not declared now: allocation(s) {}",
                outcome.other_period.join(", ")
            );
        }
    }
    store.close().await?;
    Ok(())
}

/// Reads the password: the first line of standard input, or a generated one
/// when standard input is a terminal and nothing is typed.
fn read_password() -> Result<(String, bool)> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (leave empty to generate one): ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        if stdin.is_terminal() {
            return Ok((generate_password(), true));
        }
        bail!(
            "no password on standard input; pipe one in (first line), or run in a terminal to generate one"
        );
    }
    Ok((password, false))
}

fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

async fn user_add(args: UserAddArgs) -> Result<()> {
    let email = Email::parse(&args.email).map_err(|e| anyhow!("--email: {e}"))?;
    let role = Role::parse(&args.role)
        .map_err(|_| anyhow!("--role: {:?} is not a role; use admin, consultant, professional, team_lead, analyst, resident, contract_manager or trusted_person", args.role))?;
    let store = open(&args.db.database_url).await?;
    let organisation = match &args.organisation {
        Some(spec) => parse_organisation(&store, spec).await?,
        None => Organisation::default(),
    };
    let (password, generated) = read_password()?;
    let new = NewAccount {
        email,
        display_name: args.name.clone(),
        role,
        password: password.clone(),
        organisation,
        phone: None,
    };
    let account = store
        .write(&Actor::system("waakvlam account"), async |cx| {
            accounts::create(cx, new).await
        })
        .await
        .map_err(option_error)?;
    println!(
        "created {} account {} ({})",
        role.as_str(),
        account.email,
        account.display_name
    );
    if generated {
        println!("generated password (shown once): {password}");
    }
    Ok(())
}

async fn parse_organisation(store: &Store, spec: &str) -> Result<Organisation> {
    let system = Actor::system("waakvlam account");
    let mut org = Organisation::default();
    if let Some(id) = spec.strip_prefix("team:") {
        let id: i64 = id
            .parse()
            .map_err(|_| anyhow!("--organisation: team:{id} needs a numeric team id"))?;
        let team = store
            .read(&system, async |cx| {
                organisations::team(cx, TeamId::new(id)).await
            })
            .await?
            .ok_or_else(|| anyhow!("--organisation: there is no team {id}"))?;
        org.team_id = Some(team.id);
        org.provider_id = team.provider_id;
        org.municipality_code = team.municipality_code;
    } else if let Some(name) = spec.strip_prefix("region:") {
        let id = store
            .read(&system, async |cx| {
                organisations::region_by_name(cx, name).await
            })
            .await?
            .ok_or_else(|| anyhow!("--organisation: there is no region {name:?}"))?;
        org.region_id = Some(id);
    } else if let Some(bsn) = spec.strip_prefix("bsn:") {
        let bsn = Bsn::parse(bsn).map_err(|e| anyhow!("--organisation: bsn: {e}"))?;
        let id = store
            .read(&system, async |cx| residents::id_by_bsn(cx, &bsn).await)
            .await?
            .ok_or_else(|| anyhow!("--organisation: no resident with that BSN"))?;
        org.resident_id = Some(id);
    } else if spec.len() == 4 {
        let code = MunicipalityCode::parse(spec).map_err(|e| anyhow!("--organisation: {e}"))?;
        store
            .read(&system, async |cx| {
                organisations::municipality(cx, code.as_str()).await
            })
            .await?
            .ok_or_else(|| anyhow!("--organisation: {spec} is not a known municipality code"))?;
        org.municipality_code = Some(code.as_str().to_owned());
    } else if spec.len() == 8 {
        let agb = AgbCode::parse(spec).map_err(|e| anyhow!("--organisation: {e}"))?;
        let provider = store
            .read(&system, async |cx| {
                organisations::provider_by_agb(cx, agb.as_str()).await
            })
            .await?
            .ok_or_else(|| {
                anyhow!("--organisation: no provider with AGB code {spec} (import providers first)")
            })?;
        org.provider_id = Some(provider.id);
    } else {
        bail!(
            "--organisation: {spec:?} is not a 4-digit municipality code, an 8-digit AGB code, team:ID, region:NAME or bsn:NNNNNNNNN"
        );
    }
    Ok(org)
}

async fn import_command(command: ImportCommand) -> Result<()> {
    let (what, args) = match command {
        ImportCommand::Providers(a) => ("providers", a),
        ImportCommand::Residents(a) => ("residents", a),
        ImportCommand::Indications(a) => ("indications", a),
    };
    let mut bytes = Vec::new();
    std::fs::File::open(&args.file)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let store = open(&args.db.database_url).await?;
    let actor = Actor::system("waakvlam import");
    let input = bytes.as_slice();
    let result = import::run(&store, &actor, async |cx| match what {
        "providers" => import::providers(cx, input).await,
        "residents" => import::residents(cx, input).await,
        _ => import::indications(cx, input).await,
    })
    .await;
    match result {
        Ok(summary) => {
            store.optimize().await?;
            println!("imported {what} from {}: {summary}", args.file.display());
            Ok(())
        }
        Err(ImportError::Rejected(errors)) => {
            for e in &errors {
                eprintln!("{}: {e}", args.file.display());
            }
            bail!(
                "{} rejected: {} problem(s); nothing was imported",
                args.file.display(),
                errors.len()
            )
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

async fn report_indications(args: ReportArgs) -> Result<()> {
    if let Some(code) = &args.municipality {
        MunicipalityCode::parse(code).map_err(|e| anyhow!("--municipality: {e}"))?;
    }
    let store = open(&args.db.database_url).await?;
    let report = store
        .read(&Actor::system("waakvlam report"), async |cx| {
            reports::indications_per_municipality(
                cx,
                args.year,
                args.product.as_deref(),
                args.municipality.as_deref(),
            )
            .await
        })
        .await
        .map_err(option_error)?;
    let out = match args.format {
        Format::Table => report.to_table(),
        Format::Csv => report.to_csv(),
        Format::Json => report.to_json(),
    };
    print!("{out}");
    if !out.ends_with('\n') {
        println!();
    }
    Ok(())
}

/// `report flows|costs|pulse`: the same computation as the monitoring page,
/// over everything in the database (the command line is the operator).
async fn report_monitoring(
    args: MonitoringArgs,
    assumptions: Assumptions,
    tables: &[&str],
) -> Result<()> {
    let period = match (args.year, args.from, args.to) {
        (Some(year), _, _) => {
            Period::year(year).ok_or_else(|| anyhow!("--year: {year} is not a valid year"))?
        }
        (None, Some(from), Some(to)) => {
            Period::new(from, to).map_err(|e| anyhow!("--from/--to: {e}"))?
        }
        _ => bail!("give --year, or --from and --to"),
    };
    let chosen: Vec<&str> = match args.table.as_deref() {
        Some(t) if tables.contains(&t) => vec![t],
        Some(t) => bail!("--table: {t:?} is not one of: {}", tables.join(", ")),
        None if matches!(args.format, Format::Csv) => tables.iter().take(1).copied().collect(),
        None => tables.to_vec(),
    };
    if let Some(code) = &args.municipality {
        MunicipalityCode::parse(code).map_err(|e| anyhow!("--municipality: {e}"))?;
    }
    let store = open(&args.db.database_url).await?;
    let lookup = Actor::system("waakvlam report");
    let region = match &args.region {
        Some(name) => Some(
            store
                .read(&lookup, async |cx| {
                    organisations::region_by_name(cx, name).await
                })
                .await?
                .ok_or_else(|| anyhow!("--region: no region named {name:?}"))?,
        ),
        None => None,
    };
    let provider = match &args.provider {
        Some(agb) => {
            let code = AgbCode::parse(agb).map_err(|e| anyhow!("--provider: {e}"))?;
            Some(
                store
                    .read(&lookup, async |cx| {
                        organisations::provider_by_agb(cx, code.as_str()).await
                    })
                    .await?
                    .ok_or_else(|| anyhow!("--provider: no provider with AGB code {agb}"))?
                    .id,
            )
        }
        None => None,
    };
    let filter = monitoring::Filter {
        region,
        municipality: args.municipality.clone(),
        provider,
        product: args.product.as_ref().map(|p| p.trim().to_uppercase()),
        period,
    };
    let today = store.now().date_naive();
    let system = waakvlam_store::Actor::system("cli report");
    let figures = store
        .read(&system, async |cx| {
            monitoring::dashboard(cx, &monitoring::Scope::All, &filter, today, assumptions).await
        })
        .await
        .map_err(option_error)?;
    let mask = args.mask.then_some(Mask {
        threshold: args.mask_threshold,
    });
    // Masked, every table is suppressed together: a figure shown in two
    // tables is hidden in both.
    let all = figures.tables(mask);
    let tables: Vec<_> = chosen
        .iter()
        .filter_map(|id| all.iter().find(|t| t.id == *id))
        .collect();
    let out = match args.format {
        Format::Table => {
            let mut out = format!("Periode {} t/m {}\n", period.from, period.to);
            for t in &tables {
                out.push_str(&format!("\n{}\n{}", t.id, t.to_text()));
            }
            if let Some(m) = mask {
                out.push_str(&format!(
                    "\nKleine aantallen (minder dan {n}) staan als '<{n}'; cijfers waaruit ze terug te rekenen zijn, of die ervan zijn afgeleid, als 'x'.\n",
                    n = m.threshold
                ));
            }
            out
        }
        Format::Csv => tables
            .iter()
            .map(|t| t.to_csv())
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => serde_json::json!({
            "period": { "from": period.from.to_string(), "to": period.to.to_string() },
            "masked": mask.map(|m| m.threshold),
            "tables": tables.iter().map(|t| t.to_json()).collect::<Vec<_>>(),
        })
        .to_string(),
    };
    print!("{out}");
    if !out.ends_with('\n') {
        println!();
    }
    Ok(())
}

fn settings_scope(args: &SignalsScopeArgs) -> Result<Option<SettingsScope>> {
    match (&args.municipality, args.team) {
        (Some(_), Some(_)) => bail!("give --municipality or --team, not both"),
        (Some(code), None) => {
            let code = MunicipalityCode::parse(code).map_err(|e| anyhow!("--municipality: {e}"))?;
            Ok(Some(SettingsScope::Municipality(code.as_str().to_owned())))
        }
        (None, Some(team)) => Ok(Some(SettingsScope::Team(TeamId::new(team)))),
        (None, None) => Ok(None),
    }
}

async fn audit_command(command: AuditCommand) -> Result<()> {
    let auditor = Actor::system("waakvlam audit");
    match command {
        AuditCommand::Head(db) => {
            let store = open(&db.database_url).await?;
            let head = store
                .read(&auditor, async |cx| access::head(cx).await)
                .await?;
            println!("entries: {}", head.entries);
            println!("head: {}", head.hash);
            Ok(())
        }
        AuditCommand::Verify(args) => {
            let store = open(&args.db.database_url).await?;
            let expected = args.head.as_deref();
            let report = store
                .read(&auditor, async |cx| access::verify(cx, expected).await)
                .await?;
            match report.problem {
                None => {
                    println!(
                        "access log intact: {} entries, head {}",
                        report.entries, report.head
                    );
                    Ok(())
                }
                Some(access::ChainProblem::Changed { id }) => Err(anyhow!(
                    "access log entry {id} was changed: its content no longer matches its hash ({} entries before it are intact)",
                    report.entries
                )),
                Some(access::ChainProblem::Broken { id }) => Err(anyhow!(
                    "access log entry {id} does not follow the entry before it: an entry was removed before it, or it was put in ({} entries before it are intact)",
                    report.entries
                )),
                Some(access::ChainProblem::TailMissing { expected }) => Err(anyhow!(
                    "the access log ends at {} after {} entries, but the head {expected} is not in it: entries were removed from the end",
                    report.head,
                    report.entries
                )),
            }
        }
    }
}

async fn signals_command(command: SignalsCommand) -> Result<()> {
    match command {
        SignalsCommand::Show(args) => {
            let scope = settings_scope(&args)?;
            let store = open(&args.db.database_url).await?;
            let (settings, team, own) = store
                .read(&Actor::system("waakvlam signals"), async |cx| {
                    let settings = signals::load(cx).await?;
                    let team = match &scope {
                        Some(SettingsScope::Team(id)) => {
                            Some((*id, organisations::team(cx, *id).await?))
                        }
                        _ => None,
                    };
                    let own = match &scope {
                        Some(scope) => Some(signals::overrides(cx, scope).await?),
                        None => None,
                    };
                    Ok((settings, team, own))
                })
                .await?;
            let (municipality, team) = match (&scope, team) {
                (Some(SettingsScope::Municipality(code)), _) => (code.clone(), None),
                (Some(SettingsScope::Team(_)), Some((id, team))) => {
                    let team = team.ok_or_else(|| anyhow!("--team: there is no team {id}"))?;
                    (team.municipality_code.unwrap_or_default(), Some(id))
                }
                _ => (String::new(), None),
            };
            let thresholds = settings.thresholds(&municipality, team);
            println!("{}", serde_json::to_string_pretty(&thresholds)?);
            if let Some(own) = own {
                println!("overrides set here: {}", serde_json::to_string(&own)?);
            }
            Ok(())
        }
        SignalsCommand::Set { scope, values } => {
            let Some(target) = settings_scope(&scope)? else {
                bail!("give --municipality CODE or --team ID");
            };
            let store = open(&scope.db.database_url).await?;
            let actor = Actor::system("waakvlam signals");
            let current = store
                .read(&actor, async |cx| signals::overrides(cx, &target).await)
                .await?;
            let mut overrides = current;
            for pair in &values {
                let (key, value) = pair
                    .split_once('=')
                    .ok_or_else(|| anyhow!("{pair:?}: expected KEY=VALUE"))?;
                let field = ThresholdField::parse(key)
                    .map_err(|e| anyhow!("{e} (see `waakvlam signals set --help` for the keys)"))?;
                let value = match value.trim() {
                    "" => None,
                    v => Some(
                        v.parse::<u32>()
                            .map_err(|_| anyhow!("{key}: {value:?} is not a whole number"))?,
                    ),
                };
                overrides.set(field, value).map_err(|r| {
                    let (min, max) = field.range();
                    anyhow!("{}: {value:?} is outside {min}..={max}", r.field)
                })?;
            }
            store
                .write(&actor, async |cx| {
                    signals::set(cx, &target, &overrides).await
                })
                .await
                .map_err(option_error)?;
            println!("saved: {}", serde_json::to_string(&overrides)?);
            Ok(())
        }
    }
}
