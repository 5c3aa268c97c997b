//! Primary and secondary suppression of small numbers in published tables.
//!
//! Masking only the small counts is not enough: when a total stays visible,
//! a masked part is recovered by subtraction (24 − 10 − 12 = 2). Every table
//! therefore declares, explicitly, which of its cells add up to which other
//! cell ([`Sum`]) and which cells are computed from which ([`Problem::derive`]:
//! a share from its part and whole, a median from its cases, spend from the
//! indications). [`suppress`] then hides:
//!
//! 1. **primary**: the cells marked small by the caller (a count `n` with
//!    `0 < n < threshold`);
//! 2. **derived**: every cell computed from a hidden cell;
//! 3. **secondary**: for every sum with exactly one hidden member, one more
//!    member — the smallest non-zero visible one, parts before the total —
//!    so no sum ever has a single unknown;
//! 4. **secondary, by range**: the marks say something too (`<5` is 1 to 4,
//!    an `x` count at least 5). When the ranges a reader derives sum by sum
//!    ([`pinned`]) leave a hidden cell one value, one more member of a sum
//!    it is in goes (36 = `<5` + `x` + 30 leaves 6, which only 1 + 5 fits);
//!
//! repeated until nothing changes (a cell can be in a row sum and a column
//! sum, and hiding it for one may open the other). Zero cells are never
//! chosen as secondary cells: a visible zero gives nothing away. With exactly
//! one non-zero hidden member a sum always has another non-zero member left
//! (the total when every other part is 0), so the rule always finds one.
//!
//! Pure and deterministic: the same table always hides the same cells.

use std::collections::BTreeSet;

/// Cells are numbered by the caller, `0..len`.
pub type CellId = usize;

/// `parts` add up to `total` (a single part: the two cells are the same figure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum {
    pub parts: Vec<CellId>,
    pub total: CellId,
}

impl Sum {
    /// Every cell of the sum: the parts and the total.
    pub fn members(&self) -> impl Iterator<Item = CellId> + '_ {
        self.parts.iter().copied().chain([self.total])
    }
}

/// Why a cell is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// Small in itself.
    Primary,
    /// Computed from a hidden cell.
    Derived,
    /// Hidden so that a hidden cell cannot be recovered from a sum.
    Secondary,
}

/// The cells of one or more tables and how they hang together.
#[derive(Debug, Clone, Default)]
pub struct Problem {
    /// The value of each cell; non-numeric cells are 0 and in no relation.
    values: Vec<i64>,
    primary: BTreeSet<CellId>,
    sums: Vec<Sum>,
    /// `(cell, source)`: `cell` is hidden when `source` is.
    derived: Vec<(CellId, CellId)>,
    /// Cells that are counts: a reader knows a hidden one is at least the
    /// threshold unless it is marked small.
    counts: BTreeSet<CellId>,
    /// Counts below this are primary cells.
    threshold: i64,
}

impl Problem {
    /// Adds a cell with its value; returns its id.
    pub fn cell(&mut self, value: i64) -> CellId {
        self.values.push(value);
        self.values.len() - 1
    }

    /// A problem for counts masked below `threshold`.
    pub fn new(threshold: u64) -> Self {
        Self {
            threshold: i64::try_from(threshold).unwrap_or(i64::MAX),
            ..Self::default()
        }
    }

    /// Adds a count: a primary cell when `0 < n < threshold`.
    pub fn count(&mut self, n: u64) -> CellId {
        let c = self.cell(i64::try_from(n).unwrap_or(i64::MAX));
        self.counts.insert(c);
        if n > 0 && self.value(c) < self.threshold {
            self.primary.insert(c);
        }
        c
    }

    /// Marks a cell as small in itself.
    pub fn primary(&mut self, cell: CellId) {
        self.primary.insert(cell);
    }

    /// Declares that `parts` add up to `total`.
    pub fn sum(&mut self, parts: Vec<CellId>, total: CellId) {
        self.sums.push(Sum { parts, total });
    }

    /// Declares that `cell` is computed from `source` (hidden with it).
    pub fn derive(&mut self, cell: CellId, source: CellId) {
        self.derived.push((cell, source));
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn sums(&self) -> &[Sum] {
        &self.sums
    }

    pub fn value(&self, cell: CellId) -> i64 {
        self.values.get(cell).copied().unwrap_or(0)
    }
}

/// For each cell, why it is hidden (`None`: shown).
pub fn suppress(p: &Problem) -> Vec<Option<Reason>> {
    let mut hidden: Vec<Option<Reason>> = vec![None; p.len()];
    for &c in &p.primary {
        if let Some(h) = hidden.get_mut(c) {
            *h = Some(Reason::Primary);
        }
    }
    let is_hidden =
        |hidden: &[Option<Reason>], c: CellId| hidden.get(c).is_some_and(Option::is_some);
    // The smallest visible non-zero part of a sum; the total only when no part will do.
    let pick = |hidden: &[Option<Reason>], sum: &Sum| {
        let visible = |c: &CellId| !is_hidden(hidden, *c) && p.value(*c) != 0;
        sum.parts
            .iter()
            .copied()
            .filter(visible)
            .min_by_key(|&c| (p.value(c).unsigned_abs(), c))
            .or_else(|| Some(sum.total).filter(visible))
    };
    loop {
        let mut changed = false;
        for &(cell, source) in &p.derived {
            if is_hidden(&hidden, source)
                && !is_hidden(&hidden, cell)
                && let Some(h) = hidden.get_mut(cell)
            {
                *h = Some(Reason::Derived);
                changed = true;
            }
        }
        for sum in &p.sums {
            let count = sum.members().filter(|&c| is_hidden(&hidden, c)).count();
            if count != 1 {
                continue;
            }
            if let Some(c) = pick(&hidden, sum)
                && let Some(h) = hidden.get_mut(c)
            {
                *h = Some(Reason::Secondary);
                changed = true;
            }
        }
        if changed {
            continue;
        }
        // No sum has a single unknown; a reader who also uses what the marks
        // say (`<5` is 1 to 4, `x` on a count at least 5) may still pin one
        // down. Then one more member of a sum it is in goes.
        let more = pinned(p, &hidden).into_iter().find_map(|c| {
            p.sums
                .iter()
                .filter(|s| s.members().any(|m| m == c))
                .find_map(|s| pick(&hidden, s))
        });
        match more.and_then(|c| hidden.get_mut(c)) {
            Some(h) => *h = Some(Reason::Secondary),
            None => return hidden,
        }
    }
}

/// Beyond any value: an interval end the reader does not know.
const UNBOUNDED: i128 = 1 << 80;

/// What a reader knows of a cell: its value when shown; when hidden, what
/// its mark and the rule say (`<5`: 1 to 4; `x` on a count: at least the
/// threshold, since zeros are never hidden for a sum; other figures: not
/// negative). The true value always lies inside.
fn known(p: &Problem, hidden: &[Option<Reason>], c: CellId) -> (i128, i128) {
    let v = i128::from(p.value(c));
    let t = i128::from(p.threshold);
    match hidden.get(c).copied().flatten() {
        None => (v, v),
        Some(Reason::Primary) => (v.min(1), v.max(t - 1)),
        Some(_) if p.counts.contains(&c) && v >= t => (t, UNBOUNDED),
        Some(_) => (v.min(0), UNBOUNDED),
    }
}

/// Hidden cells whose value a reader can work out from the sums and what
/// the marks say, by narrowing each cell's range sum by sum until nothing
/// changes (interval propagation; cells whose mark alone gives the value,
/// like `<2`, do not count).
pub fn pinned(p: &Problem, hidden: &[Option<Reason>]) -> Vec<CellId> {
    let prior: Vec<(i128, i128)> = (0..p.len()).map(|c| known(p, hidden, c)).collect();
    let mut b = prior.clone();
    let get = |b: &[(i128, i128)], c: CellId| b.get(c).copied().unwrap_or((0, 0));
    let sums: Vec<&Sum> = p
        .sums
        .iter()
        .filter(|s| {
            s.members()
                .any(|c| hidden.get(c).is_some_and(Option::is_some))
        })
        .collect();
    for _ in 0..64 {
        let mut changed = false;
        for sum in &sums {
            let lo: i128 = sum.parts.iter().map(|c| get(&b, *c).0).sum();
            let hi: i128 = sum.parts.iter().map(|c| get(&b, *c).1).sum();
            let total = get(&b, sum.total);
            // The total lies within what the parts can add up to; a part
            // within the total less what the other parts can add up to.
            let mut ranges = vec![(sum.total, lo, hi)];
            for &c in &sum.parts {
                let own = get(&b, c);
                ranges.push((c, total.0 - (hi - own.1), total.1 - (lo - own.0)));
            }
            for (c, lo, hi) in ranges {
                if let Some(r) = b.get_mut(c) {
                    let new = (r.0.max(lo.max(-UNBOUNDED)), r.1.min(hi.min(UNBOUNDED)));
                    if new != *r && new.0 <= new.1 {
                        *r = new;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    (0..p.len())
        .filter(|&c| hidden.get(c).is_some_and(Option::is_some))
        .filter(|&c| {
            let (a, z) = get(&b, c);
            let (pa, pz) = get(&prior, c);
            a == z && pa != pz
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A grid of `rows × cols` counts with a total column, a total row and
    /// their sums declared, as the monitoring tables have them.
    fn grid(counts: &[Vec<u64>], threshold: u64) -> (Problem, Vec<Vec<CellId>>) {
        let mut p = Problem::new(threshold);
        let cols = counts.first().map_or(0, Vec::len);
        let mut full: Vec<Vec<u64>> = counts
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.push(r.iter().sum());
                r
            })
            .collect();
        let totals: Vec<u64> = (0..=cols)
            .map(|c| full.iter().map(|r| r[c]).sum())
            .collect();
        full.push(totals);
        let ids: Vec<Vec<CellId>> = full
            .iter()
            .map(|r| r.iter().map(|v| p.count(*v)).collect())
            .collect();
        for row in &ids {
            p.sum(row[..cols].to_vec(), row[cols]);
        }
        let last = ids.len() - 1;
        for c in 0..=cols {
            p.sum(ids[..last].iter().map(|r| r[c]).collect(), ids[last][c]);
        }
        (p, ids)
    }

    fn hidden_count(sum: &Sum, hidden: &[Option<Reason>]) -> usize {
        sum.members().filter(|c| hidden[*c].is_some()).count()
    }

    #[test]
    fn the_subtraction_from_the_issue_is_closed() {
        // 10 + 12 + 2 = 24: the 2 is small, so the 10 goes too.
        let (p, ids) = grid(&[vec![10, 12, 2]], 5);
        let hidden = suppress(&p);
        assert_eq!(hidden[ids[0][2]], Some(Reason::Primary));
        assert_eq!(hidden[ids[0][0]], Some(Reason::Secondary));
        assert_eq!(hidden[ids[0][1]], None);
        assert_eq!(hidden[ids[0][3]], None, "the total stays");
        for sum in p.sums() {
            assert_ne!(hidden_count(sum, &hidden), 1, "{sum:?}");
        }
    }

    #[test]
    fn what_the_marks_say_is_not_enough_to_work_a_cell_out() {
        // 1 + 5 + 30 = 36. Hiding the 1 and the 5 leaves 36 − 30 = 6 for
        // `<5` (1 to 4) and `x` (at least 5): only 1 + 5 fits. So the 30 goes too.
        let (p, ids) = grid(&[vec![1, 5, 30]], 5);
        let hidden = suppress(&p);
        assert_eq!(hidden[ids[0][0]], Some(Reason::Primary));
        assert_eq!(hidden[ids[0][1]], Some(Reason::Secondary));
        assert_eq!(hidden[ids[0][2]], Some(Reason::Secondary));
        assert!(pinned(&p, &hidden).is_empty());
        // 10 + 12 + 2 = 24 leaves 12 for `<5` + `x` (at least 5): anything
        // from 1 + 11 to 4 + 8, so nothing is pinned.
        let (p, _) = grid(&[vec![10, 12, 2]], 5);
        assert!(pinned(&p, &suppress(&p)).is_empty());
    }

    #[test]
    fn a_hidden_total_takes_a_part_with_it() {
        // Two parts of 2 and 1: both small, the total 3 small too.
        let (p, _) = grid(&[vec![2, 1], vec![10, 20]], 5);
        let hidden = suppress(&p);
        for sum in p.sums() {
            assert_ne!(hidden_count(sum, &hidden), 1, "{sum:?}");
        }
        // One cell, hidden in itself, with its total: the total is the only other member.
        let mut p = Problem::default();
        let (a, b, t) = (p.cell(3), p.cell(0), p.cell(3));
        p.primary(a);
        p.primary(t);
        p.sum(vec![a, b], t);
        let hidden = suppress(&p);
        assert_eq!(hidden[b], None, "a zero is never hidden");
    }

    #[test]
    fn derived_cells_go_with_their_source_and_open_their_own_sums() {
        let mut p = Problem::default();
        let (n1, n2, nt) = (p.cell(2), p.cell(40), p.cell(42));
        let (m1, m2, mt) = (p.cell(200), p.cell(4_000), p.cell(4_200));
        p.primary(n1);
        p.sum(vec![n1, n2], nt);
        p.sum(vec![m1, m2], mt);
        for (m, n) in [(m1, n1), (m2, n2), (mt, nt)] {
            p.derive(m, n);
            p.derive(n, m);
        }
        let hidden = suppress(&p);
        assert_eq!(hidden[m1], Some(Reason::Derived));
        assert!(hidden[n2].is_some() && hidden[m2].is_some());
        assert_eq!(hidden[nt], None);
        assert_eq!(hidden[mt], None);
    }

    fn counts() -> impl Strategy<Value = Vec<Vec<u64>>> {
        // Mostly small numbers, so that small cells and zeros are common.
        let value = prop_oneof![3 => 0u64..6, 2 => 0u64..40, 1 => 0u64..500];
        (1usize..6, 1usize..6).prop_flat_map(move |(rows, cols)| {
            proptest::collection::vec(proptest::collection::vec(value.clone(), cols), rows)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn no_sum_is_left_with_a_single_unknown(counts in counts(), threshold in 2u64..11) {
            let (p, ids) = grid(&counts, threshold);
            let hidden = suppress(&p);
            for sum in p.sums() {
                let n = hidden_count(sum, &hidden);
                prop_assert!(n != 1, "{sum:?} has one hidden cell in {counts:?}");
            }
            // A cell the reader can pin down only when nothing is left to hide
            // around it (with a threshold of 2, `<2` says 1).
            for c in pinned(&p, &hidden) {
                for sum in p.sums().iter().filter(|s| s.members().any(|m| m == c)) {
                    prop_assert!(
                        sum.members().all(|m| hidden[m].is_some() || p.value(m) == 0),
                        "cell {c} is pinned in {counts:?}: {hidden:?}"
                    );
                }
            }
            for row in &ids {
                for &c in row {
                    let v = p.value(c);
                    if v > 0 && (v as u64) < threshold {
                        prop_assert_eq!(hidden[c], Some(Reason::Primary));
                    }
                    if v == 0 {
                        prop_assert_eq!(hidden[c], None, "zeros stay visible");
                    }
                }
            }
        }

        #[test]
        fn without_small_cells_nothing_is_hidden(counts in counts()) {
            let (p, _) = grid(&counts, 1);
            prop_assert!(suppress(&p).iter().all(Option::is_none));
        }

        #[test]
        fn suppression_is_deterministic(counts in counts(), threshold in 2u64..11) {
            let (p, _) = grid(&counts, threshold);
            prop_assert_eq!(suppress(&p), suppress(&p));
        }
    }
}
