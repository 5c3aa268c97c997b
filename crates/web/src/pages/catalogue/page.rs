//! The page itself and what its forms share.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use waakvlam_domain::money::{Cents, MoneyError};
use waakvlam_domain::product::IntensityLevel;
use waakvlam_domain::tariff::{FundingVariant, UnitPeriod};
use waakvlam_store::catalogue;
use waakvlam_store::organisations::Municipality;
use waakvlam_store::read::{self, catalogue::CatalogueOverview};
use waakvlam_store::{Actor, ContractId, ProductId, RegionId, StoreError, Tenant};

use crate::AppState;
use crate::i18n::Tr;
use crate::ui::error::AppError;
use crate::ui::form::{Choice, FormErrors, Refusal};
use crate::ui::format::{date_nl, today_nl, when_nl};
use crate::ui::session::CurrentUser;
use crate::ui::{Chrome, render};

/// The value of the municipality field for region-wide entries.
const REGION_WIDE: &str = "region";

pub struct TariffRow {
    pub year: i32,
    pub applies_to: String,
    pub variant: String,
    pub amount: String,
}

pub struct ContributionRow {
    pub applies_to: String,
    pub valid_from: String,
    pub monthly: String,
    /// The €0 rows that abolished the contribution.
    pub abolished: bool,
}

/// A provider's contract for a product in one place.
pub struct ContractRow {
    pub id: ContractId,
    pub provider: String,
    pub applies_to: String,
    /// "declared per calendar month".
    pub declared: String,
    /// "contract Zeeuwse Zorgcoöperatie, Regio …", after the button's text
    /// for screen readers.
    pub remove_label: String,
}

/// A product's maximum duration in one place.
pub struct RuleRow {
    pub applies_to: String,
    pub max: String,
}

pub struct ProductView {
    pub id: ProductId,
    pub code: String,
    pub category: String,
    pub name: String,
    pub level: String,
    pub active: String,
    pub offered_in: String,
    pub description: Option<String>,
    pub criteria: Option<String>,
    pub edit_label: String,
    pub tariffs_caption: String,
    pub contributions_caption: String,
    pub tariffs: Vec<TariffRow>,
    pub contributions: Vec<ContributionRow>,
    pub rules: Vec<RuleRow>,
    pub contracts: Vec<ContractRow>,
}

pub struct HistoryRow {
    pub when: String,
    pub by: String,
    pub product: String,
    pub what: String,
    pub old: String,
    pub new: String,
}

/// The tariff form as typed.
#[derive(Default, Deserialize)]
pub struct TariffForm {
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub variant: String,
    #[serde(default)]
    pub unit_period: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub budget_ceiling: String,
}

/// The maximum-duration form as typed.
#[derive(Default, Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    pub product: String,
    /// `region:ID` or `municipality:CODE`.
    #[serde(default)]
    pub place: String,
    /// Whole months; empty: as long as needed.
    #[serde(default)]
    pub months: String,
}

/// The contract form as typed.
#[derive(Default, Deserialize)]
pub struct ContractForm {
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub provider: String,
    /// `region:ID` or `municipality:CODE`.
    #[serde(default)]
    pub place: String,
    /// `month` or `four_weeks`.
    #[serde(default)]
    pub declaration_period: String,
}

/// The own-contribution form as typed; also the abolish form (no amount).
#[derive(Default, Deserialize)]
pub struct ContributionForm {
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub monthly: String,
}

#[derive(Template)]
#[template(path = "catalogue/page.html")]
pub struct CataloguePage {
    pub chrome: Chrome,
    pub notice: Option<String>,
    pub may_change_prices: bool,
    pub may_change_products: bool,
    pub products: Vec<ProductView>,
    pub history: Vec<HistoryRow>,
    pub tariff: TariffForm,
    pub tariff_errors: FormErrors,
    pub tariff_products: Vec<Choice>,
    pub tariff_places: Vec<Choice>,
    pub tariff_variants: Vec<Choice>,
    pub tariff_units: Vec<Choice>,
    pub contribution: ContributionForm,
    pub contribution_errors: FormErrors,
    pub contribution_products: Vec<Choice>,
    pub contribution_places: Vec<Choice>,
    pub abolish: ContributionForm,
    pub abolish_errors: FormErrors,
    pub abolish_products: Vec<Choice>,
    pub abolish_places: Vec<Choice>,
    pub rule: RuleForm,
    pub rule_errors: FormErrors,
    pub rule_products: Vec<Choice>,
    pub rule_places: Vec<Choice>,
    pub contract_errors: FormErrors,
    pub contract_products: Vec<Choice>,
    pub contract_providers: Vec<Choice>,
    pub contract_places: Vec<Choice>,
    pub contract_periods: Vec<Choice>,
}

#[derive(Deserialize, Default)]
pub struct CatalogueQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) fn level_label(t: Tr, level: IntensityLevel) -> String {
    t.get(level.fluent_key())
}

fn variant_label(t: Tr, variant: &FundingVariant, amount: Cents) -> (String, String) {
    match variant {
        FundingVariant::PerIndication => (t.get("cat-variant-per_indication"), amount.to_string()),
        FundingVariant::PerIndicationYear => {
            (t.get("cat-variant-per_indication_year"), amount.to_string())
        }
        FundingVariant::PerUnit(UnitPeriod::Week) => (
            t.get("cat-variant-per_unit-week"),
            t.with("cat-amount-per-week", &[("amount", amount.to_string())]),
        ),
        FundingVariant::PerUnit(UnitPeriod::Month) => (
            t.get("cat-variant-per_unit-month"),
            t.with("cat-amount-per-month", &[("amount", amount.to_string())]),
        ),
        FundingVariant::PerHour { budget_ceiling } => (
            t.get("cat-variant-per_hour"),
            t.with(
                "cat-amount-per-hour",
                &[
                    ("amount", amount.to_string()),
                    ("ceiling", budget_ceiling.to_string()),
                ],
            ),
        ),
    }
}

fn place_name(t: Tr, municipalities: &[Municipality], code: Option<&str>) -> String {
    match code {
        None => t.get("cat-region-wide"),
        Some(code) => municipalities
            .iter()
            .find(|m| m.code == code)
            .map_or_else(|| code.to_owned(), |m| m.name.clone()),
    }
}

/// A history field (`tariff 2026 0716`, `own_contribution region 2024-01-01`,
/// `name`, …) in words.
fn describe_field(
    t: Tr,
    regions: &[(RegionId, String)],
    municipalities: &[Municipality],
    field: &str,
) -> String {
    let parts: Vec<&str> = field.split(' ').collect();
    let place = |code: &str| place_name(t, municipalities, (code != REGION_WIDE).then_some(code));
    match parts.as_slice() {
        ["tariff", year, code] => t.with(
            "cat-history-tariff",
            &[("year", (*year).to_owned()), ("place", place(code))],
        ),
        ["own_contribution", code, from] => t.with(
            "cat-history-contribution",
            &[
                ("place", place(code)),
                (
                    "from",
                    NaiveDate::parse_from_str(from, "%Y-%m-%d")
                        .map(date_nl)
                        .unwrap_or_else(|_| (*from).to_owned()),
                ),
            ],
        ),
        ["max_duration", place] => t.with(
            "cat-history-max-duration",
            &[("place", rule_place_name(t, regions, municipalities, place))],
        ),
        ["contract", place] => t.with(
            "cat-history-contract",
            &[("place", rule_place_name(t, regions, municipalities, place))],
        ),
        ["contract", place, .., "declaration", "period"] => t.with(
            "cat-history-contract-period",
            &[
                ("place", rule_place_name(t, regions, municipalities, place)),
                ("provider", parts[2..parts.len() - 2].join(" ")),
            ],
        ),
        ["product"] => t.get("cat-history-product"),
        ["offered_in"] => t.get("cat-field-offered-in"),
        ["description"] => t.get("cat-field-description"),
        ["criteria"] => t.get("cat-field-criteria"),
        ["category"] => t.get("cat-col-category"),
        ["name"] => t.get("cat-col-name"),
        ["level"] => t.get("cat-col-level"),
        ["active"] => t.get("cat-col-active"),
        _ => field.to_owned(),
    }
}

/// A history value in words: the store keeps the terms as they were set
/// (`per_hour € 72,36 ceiling € 12.000,00`, `12 months`, `true`), the page
/// says them the way the forms do ("€ 72,36 per uur, plafond € 12.000,00").
/// A value it does not know is shown as stored.
fn describe_value(
    t: Tr,
    regions: &[(RegionId, String)],
    municipalities: &[Municipality],
    field: &str,
    value: &str,
) -> String {
    let kind = field.split(' ').next().unwrap_or_default();
    let said = match kind {
        "tariff" => describe_terms(t, value),
        "max_duration" => match value {
            "as long as needed" => Some(t.get("cat-as-long-as-needed")),
            v => v
                .strip_suffix(" months")
                .and_then(|n| n.parse::<u32>().ok())
                .map(|months| t.with("cat-months", &[("months", months.to_string())])),
        },
        "contract" if field.ends_with(" declaration period") => {
            Some(t.get(&format!("cat-period-{value}")))
        }
        "level" => IntensityLevel::parse(value)
            .ok()
            .map(|level| level_label(t, level)),
        "active" => match value {
            "true" => Some(t.get("yes")),
            "false" => Some(t.get("no")),
            _ => None,
        },
        "offered_in" if value.is_empty() => Some(t.get("cat-offered-everywhere")),
        "offered_in" => Some(rule_place_name(t, regions, municipalities, value)),
        "product" => describe_new_product(t, value),
        _ => None,
    };
    said.unwrap_or_else(|| value.to_owned())
}

/// A tariff's terms as the store records them (`per_indication € 705,69`,
/// `per_unit week € 50,00`, `per_hour € 72,36 ceiling € 12.000,00`) in words.
fn describe_terms(t: Tr, value: &str) -> Option<String> {
    let (variant, rest) = value.split_once(' ')?;
    match variant {
        "per_indication" => {
            Some(t.with("cat-terms-per-indication", &[("amount", rest.to_owned())]))
        }
        "per_indication_year" => Some(t.with(
            "cat-terms-per-indication-year",
            &[("amount", rest.to_owned())],
        )),
        "per_unit" => {
            let (period, amount) = rest.split_once(' ')?;
            let key = match period {
                "week" => "cat-amount-per-week",
                "month" => "cat-amount-per-month",
                _ => return None,
            };
            Some(t.with(key, &[("amount", amount.to_owned())]))
        }
        "per_hour" => {
            let (amount, ceiling) = rest.split_once(" ceiling ")?;
            Some(t.with(
                "cat-amount-per-hour",
                &[
                    ("amount", amount.to_owned()),
                    ("ceiling", ceiling.to_owned()),
                ],
            ))
        }
        _ => None,
    }
}

/// A new product as recorded (`WVL 07 waakvlam Waakvlam (region:1)`): code,
/// name and level in words.
fn describe_new_product(t: Tr, value: &str) -> Option<String> {
    let mut parts = value.splitn(4, ' ');
    let (code, _category, level, rest) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let level = IntensityLevel::parse(level).ok()?;
    // The place it is offered in, if any, closes the record in brackets.
    let name = match rest.rsplit_once(" (") {
        Some((name, place)) if place.ends_with(')') && place.contains(':') => name,
        _ => rest,
    };
    Some(format!("{code} — {name} ({})", level_label(t, level)))
}

/// A rule's place (`region:ID`, `municipality:CODE`) in words.
fn rule_place_name(
    t: Tr,
    regions: &[(RegionId, String)],
    municipalities: &[Municipality],
    value: &str,
) -> String {
    match catalogue::RulePlace::parse(value) {
        Ok(catalogue::RulePlace::Region(id)) => t.with(
            "cat-rule-region",
            &[(
                "name",
                regions
                    .iter()
                    .find(|(r, _)| *r == id)
                    .map_or_else(|| id.to_string(), |(_, n)| n.clone()),
            )],
        ),
        Ok(catalogue::RulePlace::Municipality(code)) => municipalities
            .iter()
            .find(|m| m.code == code)
            .map_or(code, |m| m.name.clone()),
        Err(_) => value.to_owned(),
    }
}

/// The places a rule may be set for: the regions the actor may set
/// region-wide entries for (an administrator every region, a region's
/// contract manager their own), then the actor's municipalities.
fn rule_places(t: Tr, actor: &Actor, overview: &CatalogueOverview, selected: &str) -> Vec<Choice> {
    let mut list = vec![Choice::new("", t.get("cat-choose"), selected.is_empty())];
    let own_region = match &actor.tenant {
        Tenant::ContractManager {
            municipality_code: None,
            region_id: Some(r),
        } => Some(*r),
        _ => None,
    };
    if catalogue::may_set_region_wide(actor) {
        for (id, name) in &overview.regions {
            if own_region.is_none_or(|own| own == *id) {
                let value = catalogue::RulePlace::Region(*id).form_value();
                list.push(Choice::new(
                    value.clone(),
                    t.with("cat-rule-region", &[("name", name.clone())]),
                    selected == value,
                ));
            }
        }
    }
    for m in &overview.municipalities {
        let value = catalogue::RulePlace::Municipality(m.code.clone()).form_value();
        list.push(Choice::new(
            value.clone(),
            format!("{} ({})", m.name, m.code),
            selected == value,
        ));
    }
    list
}

/// The municipalities a form may choose: region-wide first (for those who
/// may set it), then the actor's municipalities.
fn places(t: Tr, actor: &Actor, overview: &CatalogueOverview, selected: &str) -> Vec<Choice> {
    let mut list = Vec::new();
    if catalogue::may_set_region_wide(actor) {
        list.push(Choice::new(
            REGION_WIDE.to_owned(),
            t.get("cat-region-wide"),
            selected.is_empty() || selected == REGION_WIDE,
        ));
    }
    for m in &overview.municipalities {
        list.push(Choice::new(
            m.code.clone(),
            format!("{} ({})", m.name, m.code),
            selected == m.code,
        ));
    }
    list
}

fn product_choices(overview: &CatalogueOverview, selected: &str) -> Vec<Choice> {
    overview
        .products
        .iter()
        .map(|p| Choice {
            value: p.product.product.code.as_str().to_owned(),
            label: format!(
                "{} — {}",
                p.product.product.code.as_str(),
                p.product.product.name
            ),
            selected: p.product.product.code.as_str() == selected,
        })
        .collect()
}

/// What a failed form shows again, besides the typed values.
#[derive(Default)]
pub(super) struct Failed {
    pub(super) tariff: Option<(TariffForm, FormErrors)>,
    pub(super) contribution: Option<(ContributionForm, FormErrors)>,
    pub(super) abolish: Option<(ContributionForm, FormErrors)>,
    pub(super) rule: Option<(RuleForm, FormErrors)>,
    pub(super) contract: Option<(ContractForm, FormErrors)>,
}

pub(super) async fn page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<String>,
    failed: Failed,
) -> Result<Response, AppError> {
    let t = user.t;
    let actor = &user.actor;
    let overview = state
        .store
        .read(actor, async |cx| read::catalogue::page(cx).await)
        .await?;
    let (region_names, municipality_names) = (&overview.regions, &overview.all_municipalities);
    let products = overview
        .products
        .iter()
        .map(|p| {
            let product = &p.product.product;
            let code = || vec![("code", product.code.as_str().to_owned())];
            ProductView {
                edit_label: t.with("cat-product-edit", &code()),
                tariffs_caption: t.with("cat-tariffs-caption", &code()),
                contributions_caption: t.with("cat-contributions-caption", &code()),
                id: p.product.id,
                code: product.code.as_str().to_owned(),
                category: product.category.as_str().to_owned(),
                name: product.name.clone(),
                level: level_label(t, product.level),
                active: t.get(if p.product.active { "yes" } else { "no" }),
                description: p.product.description.clone(),
                criteria: p.product.criteria.clone(),
                offered_in: match &p.product.offered_in {
                    catalogue::OfferedIn::Everywhere => t.get("cat-offered-everywhere"),
                    catalogue::OfferedIn::Region(id) => t.with(
                        "cat-offered-region",
                        &[(
                            "name",
                            region_names
                                .iter()
                                .find(|(r, _)| r == id)
                                .map_or_else(|| id.to_string(), |(_, n)| n.clone()),
                        )],
                    ),
                    catalogue::OfferedIn::Municipality(code) => t.with(
                        "cat-offered-municipality",
                        &[(
                            "name",
                            municipality_names
                                .iter()
                                .find(|m| &m.code == code)
                                .map_or_else(|| code.clone(), |m| m.name.clone()),
                        )],
                    ),
                },
                tariffs: p
                    .tariffs
                    .iter()
                    .map(|s| {
                        let (variant, amount) =
                            variant_label(t, &s.tariff.variant, s.tariff.amount);
                        TariffRow {
                            year: s.tariff.year,
                            applies_to: place_name(
                                t,
                                &overview.municipalities,
                                s.municipality_code.as_deref(),
                            ),
                            variant,
                            amount,
                        }
                    })
                    .collect(),
                rules: p
                    .rules
                    .iter()
                    .map(|r| RuleRow {
                        applies_to: rule_place_name(
                            t,
                            region_names,
                            municipality_names,
                            &r.place.form_value(),
                        ),
                        max: max_duration_label(t, r.max_duration_months),
                    })
                    .collect(),
                contracts: p
                    .contracts
                    .iter()
                    .map(|c| {
                        let provider = overview
                            .providers
                            .iter()
                            .find(|x| x.id == c.provider_id)
                            .map_or_else(|| c.provider_id.to_string(), |x| x.name.clone());
                        let applies_to = rule_place_name(
                            t,
                            region_names,
                            municipality_names,
                            &c.place.form_value(),
                        );
                        ContractRow {
                            id: c.id,
                            declared: t
                                .get(&format!("cat-declared-{}", c.declaration_period.as_str())),
                            remove_label: t.with(
                                "cat-contract-remove",
                                &[
                                    ("provider", provider.clone()),
                                    ("place", applies_to.clone()),
                                ],
                            ),
                            provider,
                            applies_to,
                        }
                    })
                    .collect(),
                contributions: p
                    .own_contributions
                    .iter()
                    .map(|c| ContributionRow {
                        applies_to: place_name(
                            t,
                            &overview.municipalities,
                            c.municipality_code.as_deref(),
                        ),
                        valid_from: date_nl(c.valid_from),
                        monthly: c.monthly.to_string(),
                        abolished: c.monthly == Cents::ZERO,
                    })
                    .collect(),
            }
        })
        .collect();
    let history = overview
        .history
        .iter()
        .map(|h| HistoryRow {
            when: when_nl(h.at),
            by: h.by.clone().unwrap_or_else(|| t.get("cat-history-system")),
            product: h.product_code.clone(),
            what: describe_field(t, region_names, municipality_names, &h.field),
            old: h.old.as_deref().map_or_else(
                || "—".to_owned(),
                |v| describe_value(t, region_names, municipality_names, &h.field, v),
            ),
            new: h.new.as_deref().map_or_else(
                || "—".to_owned(),
                |v| describe_value(t, region_names, municipality_names, &h.field, v),
            ),
        })
        .collect();
    let this_year = today_nl(state.store.now()).year();
    let (tariff, tariff_errors) = failed.tariff.unwrap_or_else(|| {
        (
            TariffForm {
                year: (this_year + 1).to_string(),
                ..Default::default()
            },
            FormErrors::default(),
        )
    });
    let (contribution, contribution_errors) = failed.contribution.unwrap_or_default();
    let (abolish, abolish_errors) = failed.abolish.unwrap_or_default();
    let (rule, rule_errors) = failed.rule.unwrap_or_default();
    let (contract, contract_errors) = failed.contract.unwrap_or_default();
    let failed_any = !tariff_errors.is_empty()
        || !contribution_errors.is_empty()
        || !abolish_errors.is_empty()
        || !rule_errors.is_empty()
        || !contract_errors.is_empty();
    let variant_choice =
        |value: &str, key: &str| Choice::new(value.to_owned(), t.get(key), tariff.variant == value);
    let unit_choice = |value: &str, key: &str| {
        Choice::new(value.to_owned(), t.get(key), tariff.unit_period == value)
    };
    let view = CataloguePage {
        chrome: Chrome::for_user(user, t.get("cat-title"), state),
        notice,
        may_change_prices: catalogue::may_change_prices(actor),
        may_change_products: catalogue::may_change_products(actor),
        products,
        history,
        tariff_products: product_choices(&overview, &tariff.product),
        tariff_places: places(t, actor, &overview, &tariff.municipality),
        tariff_variants: vec![
            variant_choice("per_indication", "cat-variant-per_indication"),
            variant_choice("per_indication_year", "cat-variant-per_indication_year"),
            variant_choice("per_unit", "cat-variant-per_unit"),
            variant_choice("per_hour", "cat-variant-per_hour"),
        ],
        tariff_units: vec![
            unit_choice("", "cat-unit-none"),
            unit_choice("week", "cat-unit-week"),
            unit_choice("month", "cat-unit-month"),
        ],
        tariff,
        tariff_errors,
        contribution_products: product_choices(&overview, &contribution.product),
        contribution_places: places(t, actor, &overview, &contribution.municipality),
        contribution,
        contribution_errors,
        abolish_products: product_choices(&overview, &abolish.product),
        abolish_places: places(t, actor, &overview, &abolish.municipality),
        abolish,
        abolish_errors,
        rule_products: product_choices(&overview, &rule.product),
        rule_places: rule_places(t, actor, &overview, &rule.place),
        rule,
        rule_errors,
        contract_products: product_choices(&overview, &contract.product),
        contract_providers: std::iter::once(Choice::new(
            "",
            t.get("cat-choose"),
            contract.provider.is_empty(),
        ))
        .chain(overview.providers.iter().map(|p| {
            Choice::new(
                p.id.to_string(),
                p.name.clone(),
                p.id.to_string() == contract.provider,
            )
        }))
        .collect(),
        contract_places: rule_places(t, actor, &overview, &contract.place),
        contract_periods: waakvlam_store::declarations::PeriodKind::ALL
            .iter()
            .map(|k| {
                Choice::new(
                    k.as_str(),
                    t.get(&format!("cat-period-{}", k.as_str())),
                    contract.declaration_period == k.as_str()
                        || (contract.declaration_period.is_empty()
                            && *k == waakvlam_store::declarations::PeriodKind::Month),
                )
            })
            .collect(),
        contract_errors,
    };
    let status = if failed_any {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&view)).into_response())
}

/// `GET /catalogue`
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CatalogueQuery>,
) -> Result<Response, AppError> {
    let t = user.t;
    let notice = q.saved.as_deref().and_then(|k| match k {
        "tariff" => Some(t.get("cat-saved-tariff")),
        "contribution" => Some(t.get("cat-saved-contribution")),
        "abolished" => Some(t.get("cat-saved-abolished")),
        "product" => Some(t.get("cat-saved-product")),
        "rule" => Some(t.get("cat-saved-rule")),
        "contract" => Some(t.get("cat-saved-contract")),
        "contract-removed" => Some(t.get("cat-saved-contract-removed")),
        _ => None,
    });
    page(&state, &user, notice, Failed::default()).await
}

/// "12 maanden" or "zo lang als nodig".
pub(crate) fn max_duration_label(t: Tr, months: Option<u32>) -> String {
    match months {
        Some(m) => t.with("cat-months", &[("months", m.to_string())]),
        None => t.get("cat-as-long-as-needed"),
    }
}

pub(super) fn money_message(t: Tr, e: MoneyError) -> String {
    t.get(match e {
        MoneyError::Empty => "cat-error-amount-empty",
        MoneyError::Negative => "cat-error-amount-negative",
        MoneyError::TooManyDecimals => "cat-error-amount-decimals",
        MoneyError::AmbiguousSeparator => "cat-error-amount-ambiguous",
        MoneyError::TooLarge => "cat-error-amount-too-large",
        MoneyError::Invalid => "cat-error-amount-invalid",
    })
}

/// The product id for a code chosen in a form.
pub(super) async fn product_id(
    state: &AppState,
    actor: &Actor,
    code: &str,
) -> Result<Option<ProductId>, StoreError> {
    if code.trim().is_empty() {
        return Ok(None);
    }
    let code = code.trim();
    Ok(state
        .store
        .read(actor, async |cx| catalogue::product_by_code(cx, code).await)
        .await?
        .map(|p| p.id))
}

pub(super) fn municipality_of(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && v != REGION_WIDE).then(|| v.to_owned())
}

/// Maps what the store refused onto the form's fields; `Err` when the error
/// is not about the input (then it becomes an error page).
pub(super) fn store_field_error(
    t: Tr,
    e: StoreError,
    errors: &mut FormErrors,
) -> Result<(), StoreError> {
    match Refusal::of(e) {
        Ok(refusal) => refusal.catalogue_errors(t, errors),
        Err(StoreError::Denied) => errors.add("municipality", t.get("cat-error-scope")),
        Err(other) => return Err(other),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_dutch_catalogue_text_has_an_english_one() {
        let keys = |src: &str| -> Vec<String> {
            src.lines()
                .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" ="))
                .filter_map(|l| l.split(" =").next().map(|k| k.trim().to_owned()))
                .collect()
        };
        let nl = keys(include_str!("../../../locales/nl/catalogue.ftl"));
        let en = keys(include_str!("../../../locales/en/catalogue.ftl"));
        let missing: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing.is_empty(), "missing English texts: {missing:?}");
        assert_eq!(nl.len(), en.len());
        assert!(nl.iter().all(|k| k.starts_with("cat-")));
    }
}
