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
}

impl Problem {
    /// Adds a cell with its value; returns its id.
    pub fn cell(&mut self, value: i64) -> CellId {
        self.values.push(value);
        self.values.len() - 1
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
    loop {
        let mut changed = false;
        for &(cell, source) in &p.derived {
            if is_hidden(&hidden, source) && !is_hidden(&hidden, cell) {
                if let Some(h) = hidden.get_mut(cell) {
                    *h = Some(Reason::Derived);
                    changed = true;
                }
            }
        }
        for sum in &p.sums {
            let count = sum.members().filter(|&c| is_hidden(&hidden, c)).count();
            if count != 1 {
                continue;
            }
            let visible = |c: &CellId| !is_hidden(&hidden, *c) && p.value(*c) != 0;
            // The smallest visible non-zero part; the total only when no part will do.
            let pick = sum
                .parts
                .iter()
                .copied()
                .filter(visible)
                .min_by_key(|&c| (p.value(c).unsigned_abs(), c))
                .or_else(|| Some(sum.total).filter(visible));
            if let Some(c) = pick
                && let Some(h) = hidden.get_mut(c)
            {
                *h = Some(Reason::Secondary);
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A grid of `rows × cols` counts with a total column, a total row and
    /// their sums declared, as the monitoring tables have them.
    fn grid(counts: &[Vec<u64>], threshold: u64) -> (Problem, Vec<Vec<CellId>>) {
        let mut p = Problem::default();
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
            .map(|r| r.iter().map(|v| p.cell(*v as i64)).collect())
            .collect();
        for (r, row) in full.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if *v > 0 && *v < threshold {
                    p.primary(ids[r][c]);
                }
            }
        }
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
