//! Assets for a cheap phone on a prepaid plan: the resident's first page
//! load (the page and everything it links) transfers at most 60 KB, a second
//! page at most 15 KB; assets are fingerprinted and kept a year, compressed
//! as the browser accepts, answered 304 when unchanged, and htmx is loaded
//! only where a page uses it.

use axum::http::{Method, StatusCode};
use waakvlam_domain::role::Role;
use waakvlam_testkit::db_test;

use crate::support::{Client, KEES, Resp, seed_care};

const BROWSER: &[(&str, &str)] = &[("accept-encoding", "gzip, deflate, br, zstd")];

/// The asset URLs a page links (stylesheets and scripts).
fn linked(page: &Resp) -> Vec<String> {
    page.body
        .split(['"', '\''])
        .filter(|s| s.starts_with("/assets/"))
        .map(str::to_owned)
        .collect()
}

/// The bytes on the wire: the body as sent (compressed when it is).
fn wire(resp: &Resp) -> usize {
    resp.header("content-length")
        .and_then(|n| n.parse().ok())
        .unwrap_or(resp.body.len())
}

db_test! {
    async fn a_residents_first_page_load_stays_under_60_kb_and_a_second_under_15_kb(db) {
        seed_care(&db.store).await;
        let mut c = Client::new(&db.store);
        c.login_as(Role::Resident).await;
        let me = c.request(Method::GET, "/me", None, BROWSER).await;
        assert_eq!(me.status, StatusCode::OK);
        let assets = linked(&me);
        assert!(assets.len() >= 4, "{assets:?}");
        assert!(!me.body.contains("htmx"), "the portal does not use htmx, so it does not load it");
        let mut total = wire(&me);
        let mut report = vec![format!("/me {}", wire(&me))];
        for url in &assets {
            let a = c.request(Method::GET, url, None, BROWSER).await;
            assert_eq!(a.status, StatusCode::OK, "{url}");
            assert_eq!(a.header("content-encoding"), Some("br"), "{url}");
            assert_eq!(a.header("cache-control"), Some("public, max-age=31536000, immutable"), "{url}");
            assert_eq!(a.header("vary"), Some("Accept-Encoding"));
            total += wire(&a);
            report.push(format!("{url} {}", wire(&a)));
        }
        eprintln!("first load of /me: {total} bytes: {report:?}");
        assert!(total <= 60 * 1024, "first load of /me: {total} bytes: {report:?}");

        // A second page links the same files, kept from the first: only the page itself travels.
        let plan = c.request(Method::GET, "/me/plan", None, BROWSER).await;
        assert_eq!(plan.status, StatusCode::OK);
        assert_eq!(linked(&plan), assets, "the same fingerprinted files");
        assert!(wire(&plan) <= 15 * 1024, "second page: {} bytes", wire(&plan));
    }
}

db_test! {
    async fn assets_are_compressed_as_accepted_revalidated_by_etag_and_htmx_loads_only_where_used(db) {
        let w = seed_care(&db.store).await;
        let mut c = Client::new(&db.store);
        let login = c.get("/login").await;
        let css = linked(&login).into_iter().find(|u| u.contains("/app.")).expect("app.css linked");
        assert!(css.ends_with(".css") && css != "/assets/app.css", "fingerprinted: {css}");
        let plain = c.request(Method::GET, &css, None, &[]).await;
        assert_eq!(plain.header("content-encoding"), None, "nothing accepted: as it is");
        let gzip = c.request(Method::GET, &css, None, &[("accept-encoding", "gzip")]).await;
        assert_eq!(gzip.header("content-encoding"), Some("gzip"));
        let no_br = c.request(Method::GET, &css, None, &[("accept-encoding", "br;q=0, gzip")]).await;
        assert_eq!(no_br.header("content-encoding"), Some("gzip"), "br refused with q=0");
        assert!(wire(&gzip) * 2 < wire(&plain), "{} vs {}", wire(&gzip), wire(&plain));
        let etag = plain.header("etag").expect("an ETag").to_owned();
        let again = c.request(Method::GET, &css, None, &[("if-none-match", etag.as_str())]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.body.is_empty());
        // The plain name (an old link) still works, revalidated rather than kept.
        let old = c.get("/assets/app.css").await;
        assert_eq!(old.status, StatusCode::OK);
        assert_eq!(old.header("cache-control"), Some("public, max-age=0, must-revalidate"));
        // Another release's fingerprint: the current file, not kept.
        let stale = c.get("/assets/app.0000000000000000.css").await;
        assert_eq!(stale.status, StatusCode::OK);
        assert_eq!(stale.header("cache-control"), Some("public, max-age=0, must-revalidate"));

        // htmx: on the resident's file for the professional (the contact form uses it), not elsewhere.
        let mut pro = Client::new(&db.store);
        pro.login_as(Role::Professional).await;
        let kees = w.resident(KEES);
        assert!(linked(&pro.get(&format!("/clients/{kees}")).await).iter().any(|u| u.contains("htmx")));
        assert!(!linked(&pro.get("/caseload").await).iter().any(|u| u.contains("htmx")));
    }
}
