//! [`World`]: the organisations, people and care a test starts from, said in
//! one fluent sentence and created in the order it was said.
//!
//! ```text
//! let w = World::new()
//!     .provider("75751001", "Provider A")
//!     .team("Team A")
//!     .account("a@provider-a.nl", Role::Professional, Member::team("Team A"))
//!     .resident(person("111222333"))
//!     .waakvlam("111222333", "Team A", Some("a@provider-a.nl"))
//!     .create(&db.store)
//!     .await;
//! let pro = w.account("a@provider-a.nl");
//! ```
//!
//! Everything is named by what tests call it: providers, teams and regions
//! by name, residents by BSN, accounts by e-mail address.

use std::collections::BTreeMap;

use waakvlam_domain::ids::{AgbCode, MunicipalityCode};
use waakvlam_domain::role::Role;
use waakvlam_store::accounts::{Account, Organisation};
use waakvlam_store::organisations::{self, TeamKind};
use waakvlam_store::{Actor, ProviderId, Store};

use crate::fixtures::{Person, indication, named_account, system};

/// What an account in a [`World`] belongs to, by the names used in it.
#[derive(Clone, Debug)]
pub enum Member {
    /// Nothing (administrators, analysts of everything, trusted persons).
    Nothing,
    /// A provider's team, by the team's name.
    Team(String),
    /// A provider, by name, in no team.
    Provider(String),
    /// A municipality, by CBS code.
    Municipality(String),
    /// A region, by name.
    Region(String),
    /// A resident, by BSN: their own account.
    Resident(String),
}

impl Member {
    pub fn team(name: &str) -> Member {
        Member::Team(name.to_owned())
    }

    pub fn provider(name: &str) -> Member {
        Member::Provider(name.to_owned())
    }

    pub fn municipality(code: &str) -> Member {
        Member::Municipality(code.to_owned())
    }

    pub fn region(name: &str) -> Member {
        Member::Region(name.to_owned())
    }

    pub fn resident(bsn: &str) -> Member {
        Member::Resident(bsn.to_owned())
    }
}

#[derive(Clone, Debug)]
enum Step {
    Provider {
        agb: String,
        name: String,
    },
    Team {
        name: String,
        provider: String,
    },
    Region {
        name: String,
        municipalities: Vec<String>,
    },
    Resident(Person),
    MaxDuration {
        product: String,
        municipalities: Vec<String>,
        months: u32,
    },
    Account {
        email: String,
        display_name: Option<String>,
        role: Role,
        member: Member,
    },
    Care {
        bsn: String,
        product: String,
        team: String,
        professional: Option<String>,
        agreed_result: Option<String>,
    },
}

/// A fluent description of a test's world; [`World::create`] makes it.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct World {
    steps: Vec<Step>,
}

impl World {
    pub fn new() -> World {
        World::default()
    }

    /// A care provider with this AGB code.
    pub fn provider(mut self, agb: &str, name: &str) -> World {
        self.steps.push(Step::Provider {
            agb: agb.to_owned(),
            name: name.to_owned(),
        });
        self
    }

    /// A team of the provider named last.
    pub fn team(mut self, name: &str) -> World {
        let provider = self
            .steps
            .iter()
            .rev()
            .find_map(|s| match s {
                Step::Provider { name, .. } => Some(name.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("team {name:?} needs a provider before it"));
        self.steps.push(Step::Team {
            name: name.to_owned(),
            provider,
        });
        self
    }

    /// A region of these municipalities (CBS codes).
    pub fn region(mut self, name: &str, municipalities: &[&str]) -> World {
        self.steps.push(Step::Region {
            name: name.to_owned(),
            municipalities: municipalities.iter().map(|&m| m.to_owned()).collect(),
        });
        self
    }

    /// The product's maximum duration (its rule) in these municipalities;
    /// without one an indication runs as long as needed.
    pub fn max_duration(mut self, product: &str, municipalities: &[&str], months: u32) -> World {
        self.steps.push(Step::MaxDuration {
            product: product.to_owned(),
            municipalities: municipalities.iter().map(|&m| m.to_owned()).collect(),
            months,
        });
        self
    }

    /// A resident; see [`person`](crate::person) for the defaults.
    pub fn resident(mut self, person: Person) -> World {
        self.steps.push(Step::Resident(person));
        self
    }

    /// An account with [`PASSWORD`](crate::PASSWORD), named after its
    /// e-mail address's local part (see [`World::named`]).
    pub fn account(mut self, email: &str, role: Role, member: Member) -> World {
        self.steps.push(Step::Account {
            email: email.to_owned(),
            display_name: None,
            role,
            member,
        });
        self
    }

    /// The display name of the account added last.
    pub fn named(mut self, display_name: &str) -> World {
        match self.steps.last_mut() {
            Some(Step::Account {
                display_name: name, ..
            }) => *name = Some(display_name.to_owned()),
            _ => panic!("named({display_name:?}) must follow an account"),
        }
        self
    }

    /// A running waakvlam (WVL) for the resident with this BSN, delivered by
    /// `team`'s provider, with `professional` (an e-mail address) as the
    /// resident's professional; the defaults of
    /// [`indication`](crate::indication) otherwise.
    pub fn waakvlam(self, bsn: &str, team: &str, professional: Option<&str>) -> World {
        self.care(bsn, "WVL", team, professional)
    }

    /// A running indication of `product`; see [`World::waakvlam`].
    pub fn care(
        mut self,
        bsn: &str,
        product: &str,
        team: &str,
        professional: Option<&str>,
    ) -> World {
        self.steps.push(Step::Care {
            bsn: bsn.to_owned(),
            product: product.to_owned(),
            team: team.to_owned(),
            professional: professional.map(str::to_owned),
            agreed_result: None,
        });
        self
    }

    /// The agreed result of the indication added last.
    pub fn agreed_result(mut self, result: &str) -> World {
        match self.steps.last_mut() {
            Some(Step::Care { agreed_result, .. }) => *agreed_result = Some(result.to_owned()),
            _ => panic!("agreed_result({result:?}) must follow an indication"),
        }
        self
    }

    /// Creates everything, in the order it was described.
    pub async fn create(self, store: &Store) -> Fixtures {
        let mut w = Fixtures::default();
        for step in self.steps {
            match step {
                Step::Provider { agb, name } => {
                    let agb = AgbCode::parse(&agb).unwrap();
                    let (p, _) = store
                        .write(&system(), async |cx| {
                            organisations::upsert_provider(cx, &agb, &name).await
                        })
                        .await
                        .unwrap();
                    w.providers.insert(name, p.id.get());
                }
                Step::Team { name, provider } => {
                    let provider_id = w.provider(&provider);
                    let t = store
                        .write(&system(), async |cx| {
                            organisations::create_team(
                                cx,
                                &name,
                                TeamKind::ProviderTeam,
                                None,
                                Some(ProviderId::new(provider_id)),
                            )
                            .await
                        })
                        .await
                        .unwrap();
                    w.teams.insert(name, (t.id.get(), provider_id));
                }
                Step::Region {
                    name,
                    municipalities,
                } => {
                    let codes: Vec<MunicipalityCode> = municipalities
                        .iter()
                        .map(|m| MunicipalityCode::parse(m).unwrap())
                        .collect();
                    let id = store
                        .write(&system(), async |cx| {
                            organisations::create_region(cx, &name, &codes).await
                        })
                        .await
                        .unwrap();
                    w.regions.insert(name, id.get());
                }
                Step::MaxDuration {
                    product,
                    municipalities,
                    months,
                } => {
                    store
                        .write(&system(), async |cx| {
                            let product = waakvlam_store::catalogue::product_by_code(cx, &product)
                                .await?
                                .expect("a product of the catalogue");
                            for code in &municipalities {
                                waakvlam_store::catalogue::set_rule(
                                    cx,
                                    &waakvlam_store::catalogue::ProductRule {
                                        product_id: product.id,
                                        place: waakvlam_store::catalogue::RulePlace::Municipality(
                                            code.clone(),
                                        ),
                                        max_duration_months: Some(months),
                                    },
                                )
                                .await?;
                            }
                            Ok(())
                        })
                        .await
                        .unwrap();
                }
                Step::Resident(person) => {
                    let id = person.create(store).await;
                    let municipality = person.new_resident().municipality_code.as_str().to_owned();
                    w.residents
                        .insert(person.bsn().to_owned(), (id, municipality));
                }
                Step::Account {
                    email,
                    display_name,
                    role,
                    member,
                } => {
                    let org = w.organisation(&member);
                    let name = display_name
                        .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_owned());
                    let a = named_account(store, &email, &name, role, org).await;
                    w.accounts.insert(email, a);
                }
                Step::Care {
                    bsn,
                    product,
                    team,
                    professional,
                    agreed_result,
                } => {
                    let (resident_id, municipality) = w
                        .residents
                        .get(&bsn)
                        .cloned()
                        .unwrap_or_else(|| panic!("no resident {bsn} in this world"));
                    let (team_id, provider_id) = w.team_and_provider(&team);
                    let mut i =
                        indication(resident_id, &product, &municipality, provider_id).team(team_id);
                    if let Some(email) = professional {
                        i = i.professional(w.account(&email).id);
                    }
                    if let Some(result) = agreed_result {
                        i = i.agreed_result(&result);
                    }
                    let id = i.create(store).await;
                    w.indications.push(id);
                }
            }
        }
        w
    }
}

/// What a [`World`] created, found by the names it was described with;
/// asking for a name it does not have panics.
#[derive(Clone, Debug, Default)]
pub struct Fixtures {
    providers: BTreeMap<String, i64>,
    teams: BTreeMap<String, (i64, i64)>,
    regions: BTreeMap<String, i64>,
    residents: BTreeMap<String, (i64, String)>,
    accounts: BTreeMap<String, Account>,
    indications: Vec<i64>,
}

impl Fixtures {
    pub fn provider(&self, name: &str) -> i64 {
        *self
            .providers
            .get(name)
            .unwrap_or_else(|| panic!("no provider {name:?} in this world"))
    }

    pub fn team(&self, name: &str) -> i64 {
        self.team_and_provider(name).0
    }

    fn team_and_provider(&self, name: &str) -> (i64, i64) {
        *self
            .teams
            .get(name)
            .unwrap_or_else(|| panic!("no team {name:?} in this world"))
    }

    pub fn region(&self, name: &str) -> i64 {
        *self
            .regions
            .get(name)
            .unwrap_or_else(|| panic!("no region {name:?} in this world"))
    }

    /// The resident's id, by BSN.
    pub fn resident(&self, bsn: &str) -> i64 {
        self.residents
            .get(bsn)
            .unwrap_or_else(|| panic!("no resident {bsn} in this world"))
            .0
    }

    /// The account, by e-mail address.
    pub fn account(&self, email: &str) -> Account {
        self.accounts
            .get(email)
            .cloned()
            .unwrap_or_else(|| panic!("no account {email:?} in this world"))
    }

    /// The account's actor, as after logging in from an unknown address.
    pub async fn actor(&self, store: &Store, email: &str) -> Actor {
        let account = self.account(email);
        (store.read(&Actor::system("test"), async |cx| {
            account.actor(cx, None).await
        }))
        .await
        .unwrap()
    }

    /// The ids of the indications, in the order they were described.
    pub fn indications(&self) -> &[i64] {
        &self.indications
    }

    fn organisation(&self, member: &Member) -> Organisation {
        match member {
            Member::Nothing => Organisation::default(),
            Member::Team(name) => {
                let (team, provider) = self.team_and_provider(name);
                crate::member::team(provider, team)
            }
            Member::Provider(name) => crate::member::provider(self.provider(name)),
            Member::Municipality(code) => crate::member::municipality(code),
            Member::Region(name) => crate::member::region(self.region(name)),
            Member::Resident(bsn) => crate::member::resident(self.resident(bsn)),
        }
    }
}
