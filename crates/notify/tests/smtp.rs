//! Delivery to a real SMTP server on loopback (Debian's `python3 -m aiosmtpd`,
//! which `.ci/run` installs), on SQLite and PostgreSQL: a resident rings the
//! bell, one pass mails their professional a message that links to the page
//! and carries nothing of the resident; a second pass sends nothing again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use waakvlam_domain::notification::EventKind;
use waakvlam_domain::role::Role;
use waakvlam_notify::{MailConfig, Mailer, run_pass};
use waakvlam_store::portal::bell;
use waakvlam_store::{Actor, Store};
use waakvlam_testkit::{self as kit, Member, db_test, person};

/// An SMTP server that keeps what it receives in a maildir; stopped when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> String {
    std::env::var("WAAKVLAM_TEST_PYTHON").unwrap_or_else(|_| {
        // Debian's python3 has python3-aiosmtpd; a python3 of pyenv may not.
        if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3".to_owned()
        } else {
            "python3".to_owned()
        }
    })
}

async fn start_smtp() -> SmtpServer {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("mail");
    // A free port on loopback: the kernel picks one, the server takes it over.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start `{} -m aiosmtpd` (apt-get install python3-aiosmtpd): {e}",
                python()
            )
        });
    let mut server = SmtpServer {
        child,
        port,
        maildir,
        _dir: dir,
    };
    // Ready when it accepts a connection (it needs a moment to start).
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return server;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("aiosmtpd exited: {status} (is python3-aiosmtpd installed?)");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("aiosmtpd did not start on port {}", server.port);
}

/// Every message the server received, as text.
fn received(maildir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        // Undo quoted-printable soft line breaks, so a link reads whole.
        .map(|m| m.replace("=\r\n", "").replace("=\n", ""))
        .collect()
}

fn mailer(port: u16) -> Mailer {
    Mailer::new(&MailConfig {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Waakvlam <waakvlam@example.org>".into(),
        public_url: "https://waakvlam.example.org/".into(),
    })
    .unwrap()
}

struct World {
    jan: Actor,
    resident: i64,
}

async fn world(store: &Store) -> World {
    let w = kit::World::new()
        .provider("75751001", "Provider A")
        .team("Team A")
        .account(
            "sanne@example.org",
            Role::Professional,
            Member::team("Team A"),
        )
        .resident(
            person("111222333")
                .given_names("Jantje")
                .family_name(None, "Geheimhouder"),
        )
        .waakvlam("111222333", "Team A", Some("sanne@example.org"))
        .account(
            "jan@example.nl",
            Role::Resident,
            Member::resident("111222333"),
        )
        .create(store)
        .await;
    World {
        jan: w.actor(store, "jan@example.nl").await,
        resident: w.resident("111222333"),
    }
}

db_test! {
    async fn a_rung_bell_reaches_the_professional_by_mail_without_care_content(db) {
        let smtp = start_smtp().await;
        let w = world(&db.store).await;
        db.store
            .write(&w.jan, async |cx| bell::ring(cx, Some("Mijn zorgtekst over de schulden".into())).await)
            .await
            .unwrap();

        let report = run_pass(&db.store, Some(&mailer(smtp.port)), "test-worker").await.unwrap();
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert!(
            report.sent.iter().any(|(_, to, kind)| to == "sanne@example.org" && *kind == EventKind::BellRung),
            "{:?}",
            report.sent
        );
        let mails = received(&smtp.maildir);
        assert_eq!(mails.len(), report.sent.len(), "one mail per notification sent");
        let bell_mail = mails
            .iter()
            .find(|m| m.contains("Subject: Hulpvraag in Waakvlam"))
            .unwrap_or_else(|| panic!("no bell mail among {mails:?}"));
        assert!(bell_mail.contains("X-RcptTo: sanne@example.org"), "{bell_mail}");
        assert!(bell_mail.contains("From: Waakvlam <waakvlam@example.org>"), "{bell_mail}");
        assert!(
            bell_mail.contains(&format!(
                "Er staat een hulpvraag voor je klaar. Open Waakvlam: https://waakvlam.example.org/clients/{}",
                w.resident
            )),
            "{bell_mail}"
        );
        for secret in ["Jantje", "Geheimhouder", "111222333", "zorgtekst", "schulden"] {
            assert!(!bell_mail.contains(secret), "{secret} in {bell_mail}");
        }

        // A second pass sends nothing again.
        let again = run_pass(&db.store, Some(&mailer(smtp.port)), "another-worker").await.unwrap();
        assert!(again.sent.is_empty() && again.failed.is_empty(), "{again:?}");
        assert_eq!(received(&smtp.maildir).len(), mails.len());
    }
}

db_test! {
    async fn an_unreachable_server_is_retried_later_not_at_once(db) {
        let w = world(&db.store).await;
        db.store
            .write(&w.jan, async |cx| bell::ring(cx, None).await)
            .await
            .unwrap();
        // Nothing listens on a port that was just free.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let report = run_pass(&db.store, Some(&mailer(port)), "w").await.unwrap();
        assert!(report.sent.is_empty());
        assert!(!report.failed.is_empty());
        assert!(report.failed.iter().all(|(_, _, error, given_up)| !error.is_empty() && !given_up));
        // Backing off: the next pass right after does not try again.
        let again = run_pass(&db.store, Some(&mailer(port)), "w").await.unwrap();
        assert!(again.sent.is_empty() && again.failed.is_empty(), "{again:?}");
        // Without a mailer a pass only escalates, and says mail is off.
        let off = run_pass(&db.store, None, "w").await.unwrap();
        assert!(off.mail_off && off.sent.is_empty());
    }
}

db_test! {
    async fn the_worker_sends_a_bell_at_once_not_at_its_next_tick(db) {
        let smtp = start_smtp().await;
        let w = world(&db.store).await;
        // A worker whose periodic pass is an hour away (its first pass runs now, on an empty outbox).
        let worker = tokio::spawn(waakvlam_notify::run_periodically(
            db.store.clone(),
            Some(mailer(smtp.port)),
            Duration::from_secs(3600),
        ));
        tokio::time::sleep(Duration::from_millis(200)).await;
        db.store
            .write(&w.jan, async |cx| bell::ring(cx, None).await)
            .await
            .unwrap();
        // The committed bell wakes the worker: the mail arrives within seconds, not in an hour.
        let is_bell_mail = |m: &String| m.contains("Subject: Hulpvraag in Waakvlam") && m.contains("X-RcptTo: sanne@example.org");
        let mut mails = Vec::new();
        for _ in 0..100 {
            mails = received(&smtp.maildir);
            if mails.iter().any(is_bell_mail) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        worker.abort();
        assert!(mails.iter().any(is_bell_mail), "no bell mail within 10 s: {mails:?}");
    }
}
