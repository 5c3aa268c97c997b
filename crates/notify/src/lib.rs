//! Delivery of notifications (issue 12): one pass of the worker escalates
//! bells nobody picked up in time, claims due notifications from the outbox
//! (`waakvlam_store::notifications`) and mails them over SMTP.
//!
//! `waakvlam notify run` runs one pass; `serve` runs [`run_periodically`].
//! Several workers on one PostgreSQL database never send a notification
//! twice: each claims its rows first (see `notifications::claim`).
//!
//! E-mail is not a safe channel for care data: a mail names only the kind of
//! event and links to its page ([`compose`]). The notification rows hold
//! nothing else, so nothing else can leak into a mail.

use std::collections::BTreeMap;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use waakvlam_domain::notification::{Delivery, EventKind};
use waakvlam_store::jobs::Job;
use waakvlam_store::notifications::{self, Claimed};
use waakvlam_store::{AccountId, Actor, NotificationId, Store, StoreError};

/// How many notifications one pass claims at most.
pub const BATCH: u64 = 100;

/// A mail setting that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "--smtp-url {url:?}: {reason} (expected e.g. smtp://127.0.0.1:2525, smtp://host:587?tls=required or smtps://host)"
    )]
    SmtpUrl { url: String, reason: String },
    #[error("--mail-from {from:?} is not an e-mail address: {reason}")]
    From { from: String, reason: String },
    #[error("--public-url {url:?} must start with http:// or https://")]
    PublicUrl { url: String },
}

/// Where and how mail is sent.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://host:port` (plain, for a relay on loopback), `smtp://…?tls=required`
    /// (STARTTLS) or `smtps://host` (TLS), with `user:password@` when the
    /// server needs a login.
    pub smtp_url: String,
    /// The sender, e.g. `Waakvlam <waakvlam@example.org>`.
    pub from: String,
    /// The address people open Waakvlam at, e.g. `https://waakvlam.example.org`:
    /// the links in the mails start with it.
    pub public_url: String,
}

/// An SMTP connection pool and what every mail needs.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, ConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
            .map_err(|e| ConfigError::SmtpUrl {
                url: redact(&config.smtp_url),
                reason: e.to_string(),
            })?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = config
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| ConfigError::From {
                from: config.from.clone(),
                reason: e.to_string(),
            })?;
        let public_url = config.public_url.trim_end_matches('/').to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::PublicUrl {
                url: config.public_url.clone(),
            });
        }
        Ok(Mailer {
            transport,
            from,
            public_url,
        })
    }

    async fn send(&self, to: &str, mail: &Mail) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| format!("address {to:?}: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// An SMTP URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// The language of a mail. Accounts do not store a language yet, so mails
/// are in Dutch; English is ready for when they do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Dutch,
    English,
}

/// A mail's subject and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub body: String,
}

/// What a kind of event is called in a mail: (subject, sentence).
fn wording(kind: EventKind, lang: Language) -> (&'static str, &'static str) {
    use EventKind::*;
    match lang {
        Language::Dutch => match kind {
            BellRung => (
                "Hulpvraag in Waakvlam",
                "Er staat een hulpvraag voor je klaar.",
            ),
            BellEscalated => (
                "Hulpvraag nog niet opgepakt",
                "Een hulpvraag is niet op tijd opgepakt. Wil je zorgen dat iemand hem oppakt?",
            ),
            ResidentMessage => (
                "Nieuw bericht in Waakvlam",
                "Er staat een nieuw bericht van een inwoner voor je klaar.",
            ),
            RequestDecided => (
                "Besluit over je aanvraag",
                "De gemeente heeft over je aanvraag besloten.",
            ),
            ScaleDownPlanning => (
                "Verzoek om afschalen te plannen",
                "De gemeente vraagt je het afschalen te plannen.",
            ),
            NewAllocation => (
                "Nieuwe toewijzing in Waakvlam",
                "Er staat een nieuwe toewijzing voor je klaar.",
            ),
            HandOver => (
                "Overdracht in Waakvlam",
                "Er is een inwoner aan je overgedragen.",
            ),
            NewContactPerson => (
                "Je hebt een nieuwe contactpersoon",
                "Je hebt een nieuwe contactpersoon. Kijk in Waakvlam wie dat is.",
            ),
        },
        Language::English => match kind {
            BellRung => (
                "Call for help in Waakvlam",
                "A call for help is waiting for you.",
            ),
            BellEscalated => (
                "Call for help not picked up",
                "A call for help was not picked up in time. Please make sure someone picks it up.",
            ),
            ResidentMessage => (
                "New message in Waakvlam",
                "A new message from a resident is waiting for you.",
            ),
            RequestDecided => (
                "Decision on your request",
                "The municipality decided on your request.",
            ),
            ScaleDownPlanning => (
                "Request to plan a scale-down",
                "The municipality asks you to plan a scale-down.",
            ),
            NewAllocation => (
                "New allocation in Waakvlam",
                "A new allocation is waiting for you.",
            ),
            HandOver => (
                "Hand-over in Waakvlam",
                "A resident was handed over to you.",
            ),
            NewContactPerson => (
                "You have a new contact person",
                "You have a new contact person. Look in Waakvlam who it is.",
            ),
        },
    }
}

fn footer(public_url: &str, lang: Language) -> String {
    match lang {
        Language::Dutch => format!(
            "Deze e-mail noemt bewust geen namen: e-mail is niet veilig genoeg voor zorggegevens.\n\
             Kiezen welke meldingen je per e-mail krijgt: {public_url}/account/notifications\n"
        ),
        Language::English => format!(
            "This e-mail names nobody on purpose: e-mail is not safe enough for care data.\n\
             Choose which notifications you get by e-mail: {public_url}/account/notifications\n"
        ),
    }
}

/// The mail for one notification: the kind of event and the link, nothing else.
pub fn compose(kind: EventKind, link: &str, public_url: &str, lang: Language) -> Mail {
    let (subject, sentence) = wording(kind, lang);
    let open = match lang {
        Language::Dutch => "Open Waakvlam",
        Language::English => "Open Waakvlam",
    };
    Mail {
        subject: subject.to_owned(),
        body: format!(
            "{sentence} {open}: {public_url}{link}\n\n{}",
            footer(public_url, lang)
        ),
    }
}

/// The daily summary: how many of each kind, and a link to the list.
pub fn compose_summary(
    counts: &BTreeMap<EventKind, usize>,
    public_url: &str,
    lang: Language,
) -> Mail {
    let (subject, intro, open) = match lang {
        Language::Dutch => (
            "Je meldingen van de afgelopen dag",
            "Dit gebeurde er sinds je vorige overzicht:",
            "Bekijk ze in Waakvlam",
        ),
        Language::English => (
            "Your notifications of the past day",
            "This happened since your previous summary:",
            "See them in Waakvlam",
        ),
    };
    let mut body = format!("{intro}\n\n");
    for (kind, n) in counts {
        let (label, _) = wording(*kind, lang);
        body.push_str(&format!("- {n} × {label}\n"));
    }
    body.push_str(&format!(
        "\n{open}: {public_url}/notifications\n\n{}",
        footer(public_url, lang)
    ));
    Mail {
        subject: subject.to_owned(),
        body,
    }
}

/// What one pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Bells escalated to their team leads in this pass.
    pub escalated: usize,
    /// Sent: the notification, recipient address and kind.
    pub sent: Vec<(NotificationId, String, EventKind)>,
    /// Failed this time: notification, recipient, error, and whether it was given up.
    pub failed: Vec<(NotificationId, String, String, bool)>,
    /// Daily summaries mailed (each covers several notifications of `sent`).
    pub summaries: usize,
    /// No SMTP server configured: nothing was claimed or mailed.
    pub mail_off: bool,
}

/// A name for this worker in the rows it claims: process and a random part,
/// so two processes (or two passes in one) never share one.
pub fn worker_name() -> String {
    format!("pid{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// One pass: escalate due bells (unless another process is escalating at
/// this moment), then (with a mailer) claim due notifications and mail them,
/// recording each outcome.
pub async fn run_pass(
    store: &Store,
    mailer: Option<&Mailer>,
    worker: &str,
) -> Result<PassReport, StoreError> {
    pass(store, mailer, worker, None).await
}

/// A pass of [`run_periodically`]: escalation once a `round` among all
/// processes on the database (`Store::exclusively`); delivery every time, as
/// each process claims its own rows.
async fn pass(
    store: &Store,
    mailer: Option<&Mailer>,
    worker: &str,
    round: Option<Duration>,
) -> Result<PassReport, StoreError> {
    let actor = Actor::system("waakvlam notify");
    let escalated = store
        .exclusively(Job::Escalation, round, async || {
            store
                .write(&actor, async |cx| notifications::escalate_due(cx).await)
                .await
        })
        .await?;
    let mut report = PassReport {
        escalated: escalated.unwrap_or(0),
        ..PassReport::default()
    };
    let Some(mailer) = mailer else {
        report.mail_off = true;
        return Ok(report);
    };
    let claimed = store
        .write(&actor, async |cx| {
            notifications::claim(cx, worker, BATCH).await
        })
        .await?;
    let lang = Language::Dutch;
    let mut summaries: BTreeMap<AccountId, Vec<Claimed>> = BTreeMap::new();
    for c in claimed {
        if c.delivery == Delivery::DailySummary && !c.kind.always_at_once() {
            summaries.entry(c.account_id).or_default().push(c);
            continue;
        }
        let mail = compose(c.kind, &c.link, &mailer.public_url, lang);
        let outcome = mailer.send(&c.email, &mail).await;
        record(store, &actor, worker, &[&c], outcome, &mut report).await?;
    }
    for group in summaries.values() {
        let mut counts = BTreeMap::new();
        for c in group {
            *counts.entry(c.kind).or_insert(0) += 1;
        }
        let mail = compose_summary(&counts, &mailer.public_url, lang);
        let email = group.first().map(|c| c.email.clone()).unwrap_or_default();
        let outcome = mailer.send(&email, &mail).await;
        if outcome.is_ok() {
            report.summaries += 1;
        }
        let rows: Vec<&Claimed> = group.iter().collect();
        record(store, &actor, worker, &rows, outcome, &mut report).await?;
    }
    Ok(report)
}

/// Records the outcome of one mail for the notifications it covered.
async fn record(
    store: &Store,
    actor: &Actor,
    worker: &str,
    rows: &[&Claimed],
    outcome: Result<(), String>,
    report: &mut PassReport,
) -> Result<(), StoreError> {
    match outcome {
        Ok(()) => {
            let ids: Vec<NotificationId> = rows.iter().map(|c| c.id).collect();
            store
                .write(actor, async |cx| {
                    notifications::mark_sent(cx, worker, &ids).await
                })
                .await?;
            for c in rows {
                report.sent.push((c.id, c.email.clone(), c.kind));
            }
        }
        Err(error) => {
            for c in rows {
                let given_up = store
                    .write(actor, async |cx| {
                        notifications::mark_failed(cx, worker, c.id, &error).await
                    })
                    .await?;
                tracing::warn!(notification = %c.id, %error, given_up, "mail failed");
                report
                    .failed
                    .push((c.id, c.email.clone(), error.clone(), given_up));
            }
        }
    }
    Ok(())
}

/// Runs a pass every `every`, and at once whenever this process commits a
/// notification to be sent at once, for as long as the process runs (inside
/// `serve`); a failed pass is logged and the next one tries again.
pub async fn run_periodically(store: Store, mailer: Option<Mailer>, every: Duration) {
    let worker = worker_name();
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        // At-once notifications of this process go out as soon as their
        // transaction commits; the tick covers other processes, daily
        // summaries, retries and escalation.
        tokio::select! {
            _ = ticks.tick() => {}
            () = store.outbox_written() => {}
        }
        match pass(&store, mailer.as_ref(), &worker, Some(every)).await {
            Ok(r) => {
                if r.escalated > 0 || !r.sent.is_empty() || !r.failed.is_empty() {
                    tracing::info!(
                        escalated = r.escalated,
                        sent = r.sent.len(),
                        failed = r.failed.len(),
                        "notifications delivered"
                    );
                }
            }
            Err(e) => tracing::warn!(error = %e, "notification pass failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_names_the_kind_and_links_to_the_page_only() {
        let mail = compose(
            EventKind::BellRung,
            "/clients/17",
            "https://waakvlam.example.org",
            Language::Dutch,
        );
        assert_eq!(mail.subject, "Hulpvraag in Waakvlam");
        assert!(mail.body.starts_with(
            "Er staat een hulpvraag voor je klaar. Open Waakvlam: https://waakvlam.example.org/clients/17"
        ));
    }

    #[test]
    fn the_summary_counts_per_kind() {
        let counts = BTreeMap::from([
            (EventKind::ResidentMessage, 2),
            (EventKind::NewAllocation, 1),
        ]);
        let mail = compose_summary(&counts, "http://127.0.0.1:8080", Language::English);
        assert!(mail.body.contains("- 2 × New message in Waakvlam"));
        assert!(mail.body.contains("- 1 × New allocation in Waakvlam"));
        assert!(mail.body.contains("http://127.0.0.1:8080/notifications"));
    }

    #[test]
    fn a_password_in_the_smtp_url_is_not_repeated() {
        assert_eq!(redact("smtp://u:secret@mail:587"), "smtp://…@mail:587");
        assert_eq!(redact("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }
}
