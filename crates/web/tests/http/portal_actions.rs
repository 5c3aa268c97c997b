//! The resident portal's actions over HTTP, with what the other side sees:
//! the bell, plan notes, messages, sharing the plan, choosing a helper, and
//! the trusted person's and team lead's answers.

use axum::http::StatusCode;
use waakvlam_domain::role::Role;
use waakvlam_store::Actor;
use waakvlam_store::portal::helper::{self, Profile};
use waakvlam_testkit::{Fixtures, TestDb, account, db_test, member};

use crate::support::{
    COLLEAGUE, Client, ELSEWHERE, KEES, PASSWORD, STRANGER, STRANGER_NAME, assert_out_of_reach,
    email_of, ids_after, seed_care,
};

/// Kees, logged in, with the session's CSRF token.
async fn kees(db: &TestDb) -> (Client, String) {
    let mut c = Client::new(&db.store);
    c.login_as(Role::Resident).await;
    let csrf = c.session_csrf("/me").await;
    (c, csrf)
}

/// A logged-in client of `role` and its CSRF token, read from `page`.
async fn as_role(db: &TestDb, role: Role, page: &str) -> (Client, String) {
    let mut c = Client::new(&db.store);
    c.login_as(role).await;
    let csrf = c.session_csrf(page).await;
    (c, csrf)
}

/// Whether a resident page shows an open bell.
fn shows_an_open_bell(page: &str) -> bool {
    page.contains("Belde op") && page.contains("/bells/")
}

/// Kees's page as his professional sees it.
async fn professionals_view(db: &TestDb, w: &Fixtures) -> String {
    let mut pro = Client::new(&db.store);
    pro.login_as(Role::Professional).await;
    pro.get(&format!("/clients/{}", w.resident(KEES)))
        .await
        .body
}

// ---------------------------------------------------------------------------
// The bell
// ---------------------------------------------------------------------------

db_test! {
    async fn ringing_the_bell_reaches_the_professional(db) {
        let w = seed_care(&db.store).await;
        let (mut c, csrf) = kees(db).await;
        c.post("/me/help", &[("csrf_token", &csrf), ("message", "Mijn buurman bedreigt me")])
            .await
            .assert_redirect("/me?help=1");
        let me = c.get("/me?help=1").await;
        assert_eq!(me.status, StatusCode::OK);
        let page = professionals_view(db, &w).await;
        assert!(shows_an_open_bell(&page), "{page}");
        assert!(page.contains("Mijn buurman bedreigt me"));
    }
}

db_test! {
    async fn the_bell_is_refused_without_csrf_and_for_other_roles(db) {
        let w = seed_care(&db.store).await;
        let (mut c, _) = kees(db).await;
        let resp = c.post("/me/help", &[("message", "Zonder token")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        let (mut pro, token) = as_role(db, Role::Professional, "/caseload").await;
        let resp = pro.post("/me/help", &[("csrf_token", &token), ("message", "Door de begeleider")]).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        assert!(!shows_an_open_bell(&professionals_view(db, &w).await));
    }
}

// ---------------------------------------------------------------------------
// Plan notes
// ---------------------------------------------------------------------------

db_test! {
    async fn a_plan_note_is_kept_and_read_by_the_professional(db) {
        let w = seed_care(&db.store).await;
        let (mut c, csrf) = kees(db).await;
        c.post(
            "/me/plan/notes",
            &[("csrf_token", &csrf), ("kind", "went_well"), ("text", "Zelf naar de markt geweest")],
        )
        .await
        .assert_redirect("/me/plan?done=1");
        let plan = c.get("/me/plan?done=1").await;
        assert!(plan.body.contains("Opgeslagen. Je hulpverlener kan het lezen."), "{}", plan.body);
        assert!(plan.body.contains("Zelf naar de markt geweest"));
        assert!(professionals_view(db, &w).await.contains("Zelf naar de markt geweest"));
    }
}

db_test! {
    async fn a_plan_note_without_a_kind_or_text_is_refused_in_plain_dutch(db) {
        seed_care(&db.store).await;
        let (mut c, csrf) = kees(db).await;
        let resp = c
            .post("/me/plan/notes", &[("csrf_token", &csrf), ("kind", ""), ("text", "Wat ik wil zeggen")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Kies eerst waar het over gaat."), "{}", resp.body);
        assert!(resp.body.contains("Wat ik wil zeggen"), "what was typed stays");

        let resp = c
            .post("/me/plan/notes", &[("csrf_token", &csrf), ("kind", "want_help"), ("text", "   ")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Je hebt nog niets geschreven."), "{}", resp.body);
        assert!(!resp.body.contains("refusal"));
        // The text is said next to its field too, tied to it for screen readers.
        assert!(resp.body.contains(r#"id="note-text-error""#), "{}", resp.body);
        assert!(resp.body.contains(r#"aria-invalid="true" aria-describedby="note-text-error""#), "{}", resp.body);
    }
}

db_test! {
    async fn a_plan_note_is_refused_without_csrf_and_for_other_roles(db) {
        let w = seed_care(&db.store).await;
        let (mut c, _) = kees(db).await;
        let resp = c.post("/me/plan/notes", &[("csrf_token", "forged"), ("kind", "went_well"), ("text", "Vervalst")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        let (mut trusted, token) = as_role(db, Role::TrustedPerson, "/shared").await;
        let resp = trusted
            .post("/me/plan/notes", &[("csrf_token", &token), ("kind", "went_well"), ("text", "Door een ander")])
            .await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        let plan = c.get("/me/plan").await;
        assert!(!plan.body.contains("Vervalst") && !plan.body.contains("Door een ander"));
        assert!(!professionals_view(db, &w).await.contains("Door een ander"));
    }
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

db_test! {
    async fn a_residents_message_reaches_the_professional(db) {
        let w = seed_care(&db.store).await;
        let (mut c, csrf) = kees(db).await;
        c.post("/me/messages", &[("csrf_token", &csrf), ("body", "Kunt u mij terugbellen?")])
            .await
            .assert_redirect("/me/messages?done=1");
        let thread = c.get("/me/messages?done=1").await;
        assert!(thread.body.contains("Je bericht is verstuurd."));
        assert!(thread.body.contains("Kunt u mij terugbellen?"));
        assert!(professionals_view(db, &w).await.contains("Kunt u mij terugbellen?"));
    }
}

db_test! {
    async fn an_empty_message_is_refused_in_plain_dutch(db) {
        seed_care(&db.store).await;
        let (mut c, csrf) = kees(db).await;
        let resp = c.post("/me/messages", &[("csrf_token", &csrf), ("body", "  ")]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Je hebt nog niets geschreven."), "{}", resp.body);
        assert!(c.get("/me/messages").await.body.contains("Er zijn nog geen berichten."));
    }
}

db_test! {
    async fn a_residents_message_is_refused_without_csrf_and_for_other_roles(db) {
        seed_care(&db.store).await;
        let (mut c, _) = kees(db).await;
        assert_eq!(c.post("/me/messages", &[("body", "Zonder token")]).await.status, StatusCode::BAD_REQUEST);
        let (mut pro, token) = as_role(db, Role::Professional, "/caseload").await;
        let resp = pro.post("/me/messages", &[("csrf_token", &token), ("body", "Als inwoner")]).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        assert!(c.get("/me/messages").await.body.contains("Er zijn nog geen berichten."));
    }
}

// ---------------------------------------------------------------------------
// Sharing the plan, and the trusted person's messages
// ---------------------------------------------------------------------------

/// The code on the sharing page after an invitation.
fn code_on(body: &str) -> String {
    let marker = r#"class="portal-code__value">"#;
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("no code in:\n{body}"))
        + marker.len();
    body[start..].split('<').next().unwrap().to_owned()
}

/// Kees invites `email` as family; returns the page with the code.
async fn kees_invites(c: &mut Client, csrf: &str, name: &str, email: &str) -> crate::support::Resp {
    let resp = c
        .post(
            "/me/sharing",
            &[
                ("csrf_token", csrf),
                ("name", name),
                ("email", email),
                ("relation", "family"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    resp
}

/// Kees invites the test account of the trusted person, who accepts the
/// code after logging in; returns the new consent's id.
async fn kees_shares_with_the_trusted_person(db: &TestDb, c: &mut Client, csrf: &str) -> i64 {
    let before = ids_after(&c.get("/me/sharing").await.body, "/me/sharing/");
    let resp = kees_invites(
        c,
        csrf,
        "Test trusted_person",
        &email_of(Role::TrustedPerson),
    )
    .await;
    let code = code_on(&resp.body);
    // Nothing is shared before the invitation is accepted.
    assert_eq!(
        ids_after(&resp.body, "/me/sharing/"),
        before,
        "pending, not shared"
    );
    let (mut trusted, token) = as_role(db, Role::TrustedPerson, "/shared").await;
    let resp = trusted
        .post(
            "/shared/invitations",
            &[("csrf_token", &token), ("code", &code)],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let after = ids_after(&c.get("/me/sharing").await.body, "/me/sharing/");
    let new: Vec<i64> = after
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(new.len(), 1, "one new share");
    new[0]
}

db_test! {
    async fn a_trusted_person_reads_the_plan_and_nothing_more(db) {
        let w = seed_care(&db.store).await;
        let kees_id = w.resident(KEES);
        let (mut c, csrf) = kees(db).await;
        kees_shares_with_the_trusted_person(db, &mut c, &csrf).await;
        c.post("/me/messages", &[("csrf_token", &csrf), ("body", "Alleen voor mijn begeleider")]).await;

        let (mut trusted, token) = as_role(db, Role::TrustedPerson, "/shared").await;
        let shared = trusted.get("/shared").await;
        assert!(shared.body.contains("Dam"), "{}", shared.body);
        // The plan in one read: one access-log entry.
        let before = waakvlam_testkit::access_count(&db.store).await;
        let page = trusted.get(&format!("/shared/{kees_id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(waakvlam_testkit::access_count(&db.store).await, before + 1);
        // "Die persoon kan je plan lezen. Meer niet.": no thread, no way to write in it.
        assert!(!page.body.contains("Alleen voor mijn begeleider"), "{}", page.body);
        assert!(!page.body.contains("/messages"), "{}", page.body);
        let resp = trusted
            .post(&format!("/shared/{kees_id}/messages"), &[("csrf_token", &token), ("body", "Ik kom zaterdag langs")])
            .await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND);
        assert!(!c.get("/me/messages").await.body.contains("Ik kom zaterdag langs"));
    }
}

db_test! {
    async fn a_professional_the_resident_removed_no_longer_reads_the_plan_anywhere(db) {
        let w = seed_care(&db.store).await;
        let kees_id = w.resident(KEES);
        let (mut c, csrf) = kees(db).await;
        c.post("/me/plan/notes", &[("csrf_token", &csrf), ("kind", "went_well"), ("text", "Zelf de post geopend")]).await;
        // Kees's professional is on his "Wie ziet mijn plan", as the demo seeds it.
        let consent = waakvlam_store::care_record::NewConsent {
            resident_id: waakvlam_store::ResidentId::new(kees_id),
            party: waakvlam_domain::care::ConsentParty::Professional,
            party_account_id: Some(w.account(&email_of(Role::Professional)).id),
            party_name: "Contactpersoon".into(),
            granted_at: db.store.now(),
        };
        db.store
            .write(&Actor::system("test"), async |cx| {
                waakvlam_store::care_record::add_consent(cx, &consent).await
            })
            .await
            .unwrap();
        let (mut pro, _) = as_role(db, Role::Professional, "/caseload").await;
        assert!(pro.get(&format!("/shared/{kees_id}")).await.body.contains("Zelf de post geopend"));

        // Kees removes his professional on "Wie ziet mijn plan".
        let sharing = c.get("/me/sharing").await;
        let consent = ids_after(&sharing.body, "/me/sharing/")[0];
        let resp = c.post(&format!("/me/sharing/{consent}/remove"), &[("csrf_token", &csrf), ("confirm", "yes")]).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);

        let file = pro.get(&format!("/clients/{kees_id}")).await;
        assert!(!file.body.contains("Zelf de post geopend"), "{}", file.body);
        let shared = pro.get(&format!("/shared/{kees_id}")).await;
        assert_out_of_reach(&shared);
        assert!(!shared.body.contains("Zelf de post geopend"));
        let log = waakvlam_testkit::access_latest(&db.store, 1).await;
        assert_eq!(log[0].outcome, "denied", "{log:?}");
    }
}

db_test! {
    async fn an_invitation_reveals_no_account_and_waits_until_it_is_accepted(db) {
        seed_care(&db.store).await;
        let (mut c, csrf) = kees(db).await;
        let accounts = |db: &TestDb| {
            let store = db.store.clone();
            async move {
                store
                    .read(&Actor::system("test"), async |cx| waakvlam_store::accounts::list(cx).await)
                    .await
                    .unwrap()
                    .len()
            }
        };
        let before = accounts(db).await;

        // An unknown address and one that has an account get the same answer.
        let unknown = kees_invites(&mut c, &csrf, "Els van Dam", "els@example.nl").await;
        let known = kees_invites(&mut c, &csrf, "Els van Dam", &email_of(Role::TrustedPerson)).await;
        let unknown_code = code_on(&unknown.body);
        let known_code = code_on(&known.body);
        // What the answer says up to the list of shares (the pending list
        // below it names every waiting invitation, by the resident's choice).
        let answer = |body: &str, code: &str, email: &str| {
            let end = body.find("<h2").expect("a heading");
            body[..end].replace(code, "CODE").replace(email, "EMAIL")
        };
        assert_eq!(
            answer(&unknown.body, &unknown_code, "els@example.nl"),
            answer(&known.body, &known_code, &email_of(Role::TrustedPerson)),
            "the answer does not say whether the address has an account"
        );
        assert!(unknown.body.contains("Je hebt Els van Dam uitgenodigd."), "{}", unknown.body);
        assert!(unknown.body.contains("Je ziet de code alleen nu."));
        // No account until someone accepts.
        assert_eq!(accounts(db).await, before, "no account for an invitation");
        let page = c.get("/me/sharing").await;
        assert!(!page.body.contains("Je ziet de code alleen nu."), "shown once");
        assert!(page.body.contains("Els van Dam (els@example.nl) heeft nog niet gereageerd."), "{}", page.body);

        // Someone logged in with another address cannot accept Els's code.
        let (mut trusted, token) = as_role(db, Role::TrustedPerson, "/shared").await;
        let resp = trusted.post("/shared/invitations", &[("csrf_token", &token), ("code", &unknown_code)]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Deze uitnodiging is voor een ander e-mailadres."), "{}", resp.body);

        // Els accepts without an account: she chooses a password and logs in.
        let mut els = Client::new(&db.store);
        let form = els.get("/invitation").await.form_csrf();
        let password = "een goed wachtwoord voor Els";
        let resp = els
            .post("/invitation", &[("csrf_token", &form), ("code", &unknown_code), ("password", password), ("password_again", password)])
            .await;
        assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
        assert!(resp.body.contains("Gelukt."), "{}", resp.body);
        assert_eq!(accounts(db).await, before + 1);
        els.login("els@example.nl", password).await.assert_redirect("/");
        assert!(els.get("/shared").await.body.contains("Dam"));
        // The code works once.
        let mut again = Client::new(&db.store);
        let form = again.get("/invitation").await.form_csrf();
        let resp = again
            .post("/invitation", &[("csrf_token", &form), ("code", &unknown_code), ("password", password), ("password_again", password)])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Deze code werkt niet."), "{}", resp.body);

        // Kees withdraws the other invitation: its code stops working.
        let page = c.get("/me/sharing").await;
        assert!(page.body.contains("<strong>Els van Dam</strong>"), "Els now sees the plan: {}", page.body);
        let pending = ids_after(&page.body, "/me/sharing/invitations/");
        assert_eq!(pending.len(), 1, "{}", page.body);
        let resp = c
            .post(&format!("/me/sharing/invitations/{}/withdraw", pending[0]), &[("csrf_token", &csrf), ("name", "Els van Dam")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
        assert!(ids_after(&c.get("/me/sharing").await.body, "/me/sharing/invitations/").is_empty());
        let resp = trusted.post("/shared/invitations", &[("csrf_token", &token), ("code", &known_code)]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Deze code werkt niet."), "{}", resp.body);
        // Only Kees withdraws his invitations.
        let resp = trusted
            .post(&format!("/me/sharing/invitations/{}/withdraw", pending[0]), &[("csrf_token", &token), ("name", "x")])
            .await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
    }
}

db_test! {
    async fn sharing_without_a_relation_or_with_a_wrong_address_is_refused_in_plain_dutch(db) {
        seed_care(&db.store).await;
        let (mut c, csrf) = kees(db).await;
        let resp = c
            .post("/me/sharing", &[("csrf_token", &csrf), ("name", "Els"), ("email", "els@example.nl"), ("relation", "")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Kies wie het is."), "{}", resp.body);
        assert!(resp.body.contains("els@example.nl"), "what was typed stays");

        let resp = c
            .post("/me/sharing", &[("csrf_token", &csrf), ("name", "Els"), ("email", "els at example"), ("relation", "family")])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Dit e-mailadres klopt niet."), "{}", resp.body);
        assert!(!resp.body.contains("refusal-"));
        assert!(resp.body.contains(r#"aria-invalid="true" aria-describedby="invite-email-error""#), "{}", resp.body);
        assert!(!resp.body.contains(r#"aria-describedby="invite-name-error""#), "only the field refused");
    }
}

db_test! {
    async fn sharing_is_refused_without_csrf_and_for_other_roles(db) {
        seed_care(&db.store).await;
        let (mut c, _) = kees(db).await;
        let form = [("name", "Els"), ("email", "els@example.nl"), ("relation", "family")];
        assert_eq!(c.post("/me/sharing", &form).await.status, StatusCode::BAD_REQUEST);
        let (mut pro, token) = as_role(db, Role::Professional, "/caseload").await;
        let mut with = form.to_vec();
        with.push(("csrf_token", &token));
        assert_eq!(pro.post("/me/sharing", &with).await.status, StatusCode::FORBIDDEN);
        assert!(!c.get("/me/sharing").await.body.contains("Els"));
    }
}

db_test! {
    async fn a_removed_share_takes_the_plan_away_from_the_trusted_person(db) {
        let w = seed_care(&db.store).await;
        let kees_id = w.resident(KEES);
        let (mut c, csrf) = kees(db).await;
        let consent = kees_shares_with_the_trusted_person(db, &mut c, &csrf).await;
        let (mut trusted, token) = as_role(db, Role::TrustedPerson, "/shared").await;

        // Without the token nothing changes.
        let resp = c.post(&format!("/me/sharing/{consent}/remove"), &[("name", "Test")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        // Nor can the trusted person remove it.
        let resp = trusted.post(&format!("/me/sharing/{consent}/remove"), &[("csrf_token", &token)]).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);
        assert_eq!(trusted.get(&format!("/shared/{kees_id}")).await.status, StatusCode::OK);

        let resp = c
            .post(&format!("/me/sharing/{consent}/remove"), &[("csrf_token", &csrf), ("confirm", "yes")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
        assert!(resp.location().unwrap().starts_with("/me/sharing?removed="));
        let sharing = c.get(resp.location().unwrap()).await;
        assert!(sharing.body.contains("kan je plan nu niet meer zien."), "{}", sharing.body);
        assert!(!ids_after(&sharing.body, "/me/sharing/").contains(&consent));

        let refused = trusted.get(&format!("/shared/{kees_id}")).await;
        assert_out_of_reach(&refused);
        assert!(!refused.body.contains("Dam"));
    }
}

db_test! {
    async fn a_resident_cannot_remove_someone_elses_share(db) {
        let w = seed_care(&db.store).await;
        let stranger = w.resident(STRANGER);
        let email = "greet@test.waakvlam.nl";
        account(&db.store, email, Role::Resident, member::resident(stranger)).await;
        let mut greet = Client::new(&db.store);
        greet.login(email, PASSWORD).await.assert_redirect("/");
        let csrf = greet.session_csrf("/me").await;
        let consent = kees_shares_with_the_trusted_person(db, &mut greet, &csrf).await;

        let (mut c, csrf) = kees(db).await;
        assert_out_of_reach(&c.post(&format!("/me/sharing/{consent}/remove"), &[("csrf_token", &csrf)]).await);
        let (mut trusted, _) = as_role(db, Role::TrustedPerson, "/shared").await;
        let page = trusted.get(&format!("/shared/{stranger}")).await;
        assert_eq!(page.status, StatusCode::OK, "Greet still shares her plan");
        assert!(page.body.contains(STRANGER_NAME));
        // Kees shares nothing with her.
        assert_out_of_reach(&trusted.get(&format!("/shared/{}", w.resident(KEES))).await);
    }
}

// ---------------------------------------------------------------------------
// Choosing a helper, and the team lead's decision
// ---------------------------------------------------------------------------

/// Kees's professional and the colleague introduce themselves in Goes.
async fn profiles(db: &TestDb, w: &Fixtures) {
    for email in [email_of(Role::Professional), COLLEAGUE.to_owned()] {
        let profile = Profile {
            account_id: w.account(&email).id,
            municipality_code: "0664".into(),
            area: "Goes-Oost".into(),
            specialisation: "Geldzaken".into(),
            languages: "Nederlands".into(),
            introduction: "Ik help je graag.".into(),
            available: true,
        };
        db.store
            .write(&Actor::system("test"), async |cx| {
                helper::set_profile(cx, &profile).await
            })
            .await
            .unwrap();
    }
}

/// Kees chooses the colleague; returns the request's id as the team lead sees it.
async fn kees_chooses_the_colleague(db: &TestDb, w: &Fixtures) -> i64 {
    let (mut c, csrf) = kees(db).await;
    let colleague = w.account(COLLEAGUE).id.to_string();
    c.post(
        "/me/helper",
        &[("csrf_token", &csrf), ("professional_id", &colleague)],
    )
    .await
    .assert_redirect("/me/helper?done=1");
    let page = c.get("/me/helper?done=1").await;
    assert!(
        page.body.contains("Je hebt Collega Goes gekozen."),
        "{}",
        page.body
    );
    let (mut lead, _) = as_role(db, Role::TeamLead, "/helper-requests").await;
    let requests = lead.get("/helper-requests").await;
    let ids = ids_after(&requests.body, "/helper-requests/");
    assert_eq!(ids.len(), 1, "{}", requests.body);
    ids[0]
}

db_test! {
    async fn a_confirmed_choice_makes_the_chosen_professional_the_contact_person(db) {
        let w = seed_care(&db.store).await;
        profiles(db, &w).await;
        let id = kees_chooses_the_colleague(db, &w).await;
        let (mut lead, csrf) = as_role(db, Role::TeamLead, "/helper-requests").await;
        lead.post(&format!("/helper-requests/{id}"), &[("csrf_token", &csrf), ("decision", "confirm")])
            .await
            .assert_redirect("/helper-requests?decided=confirmed");
        let page = lead.get("/helper-requests?decided=confirmed").await;
        assert!(page.body.contains("Bevestigd"), "{}", page.body);
        assert!(page.body.contains("Er wachten geen keuzes."));

        let mut colleague = Client::new(&db.store);
        colleague.login(COLLEAGUE, PASSWORD).await.assert_redirect("/");
        let file = colleague.get(&format!("/clients/{}", w.resident(KEES))).await;
        assert_eq!(file.status, StatusCode::OK);
        assert!(file.body.contains("Collega Goes"), "{}", file.body);
        let (mut c, _) = kees(db).await;
        assert!(c.get("/me/helper").await.body.contains("Collega Goes is nu je hulpverlener."));
    }
}

db_test! {
    async fn a_declined_choice_leaves_the_contact_person_and_tells_the_resident(db) {
        let w = seed_care(&db.store).await;
        profiles(db, &w).await;
        let id = kees_chooses_the_colleague(db, &w).await;
        let (mut lead, csrf) = as_role(db, Role::TeamLead, "/helper-requests").await;
        lead.post(&format!("/helper-requests/{id}"), &[("csrf_token", &csrf), ("decision", "decline")])
            .await
            .assert_redirect("/helper-requests?decided=declined");
        let (mut c, _) = kees(db).await;
        assert!(c.get("/me/helper").await.body.contains("Je keuze voor Collega Goes kon niet."));
        assert!(professionals_view(db, &w).await.contains("Test professional"));
    }
}

db_test! {
    async fn choosing_the_current_or_an_unknown_helper_is_refused_in_plain_dutch(db) {
        let w = seed_care(&db.store).await;
        profiles(db, &w).await;
        let (mut c, csrf) = kees(db).await;
        let current = w.account(&email_of(Role::Professional)).id.to_string();
        let resp = c.post("/me/helper", &[("csrf_token", &csrf), ("professional_id", &current)]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Dit is al jouw hulpverlener."), "{}", resp.body);

        let elsewhere = w.account(ELSEWHERE).id.to_string();
        let resp = c.post("/me/helper", &[("csrf_token", &csrf), ("professional_id", &elsewhere)]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
        assert!(resp.body.contains("Deze hulpverlener kun je nu niet kiezen."), "{}", resp.body);
        assert!(!resp.body.contains("helper-unavailable"));

        let (mut lead, _) = as_role(db, Role::TeamLead, "/helper-requests").await;
        assert!(lead.get("/helper-requests").await.body.contains("Er wachten geen keuzes."));
    }
}

db_test! {
    async fn choosing_and_deciding_are_refused_without_csrf_for_other_roles_and_other_teams(db) {
        let w = seed_care(&db.store).await;
        profiles(db, &w).await;
        let colleague = w.account(COLLEAGUE).id.to_string();
        let (mut c, _) = kees(db).await;
        assert_eq!(c.post("/me/helper", &[("professional_id", &colleague)]).await.status, StatusCode::BAD_REQUEST);
        let (mut pro, token) = as_role(db, Role::Professional, "/caseload").await;
        let resp = pro.post("/me/helper", &[("csrf_token", &token), ("professional_id", &colleague)]).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        let id = kees_chooses_the_colleague(db, &w).await;
        let (mut lead, _) = as_role(db, Role::TeamLead, "/helper-requests").await;
        let resp = lead.post(&format!("/helper-requests/{id}"), &[("decision", "confirm")]).await;
        assert_eq!(resp.status, StatusCode::BAD_REQUEST);
        let resp = pro.post(&format!("/helper-requests/{id}"), &[("csrf_token", &token), ("decision", "confirm")]).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN);

        // The team lead of another provider's team.
        let lead_elsewhere = "leider-borsele@test.waakvlam.nl";
        account(
            &db.store,
            lead_elsewhere,
            Role::TeamLead,
            member::team(w.provider("Stichting Elders"), w.team("Team Borsele")),
        )
        .await;
        let mut other = Client::new(&db.store);
        other.login(lead_elsewhere, PASSWORD).await.assert_redirect("/");
        let page = other.get("/helper-requests").await;
        assert!(page.body.contains("Er wachten geen keuzes."), "{}", page.body);
        let token = page.meta_csrf();
        let resp = other.post(&format!("/helper-requests/{id}"), &[("csrf_token", &token), ("decision", "confirm")]).await;
        assert!(
            matches!(resp.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}: {}",
            resp.status,
            resp.body
        );
        assert!(!resp.body.contains("Dam"));

        let waiting = lead.get("/helper-requests").await;
        assert_eq!(ids_after(&waiting.body, "/helper-requests/"), vec![id], "still waiting");
    }
}
