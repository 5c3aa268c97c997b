//! A resident's pathway: indications that follow one another
//! (e.g. BTS → BT → WVL), linked by predecessor.

use std::collections::{HashMap, HashSet};

use thiserror::Error;

/// One indication in a pathway and the one it follows, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PathwayLink {
    pub id: i64,
    pub predecessor: Option<i64>,
}

/// Why links do not form a single chain.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PathwayError {
    #[error("indication {0} appears more than once")]
    DuplicateId(i64),
    #[error("indication {id} follows {predecessor}, which is not in this pathway")]
    MissingPredecessor { id: i64, predecessor: i64 },
    #[error("indication {predecessor} has more than one successor")]
    Fork { predecessor: i64 },
    #[error("the pathway has more than one first indication ({first} and {second})")]
    MultipleStarts { first: i64, second: i64 },
    #[error("the indications of this pathway follow each other in a circle")]
    Cycle,
}

/// Orders a pathway's links from first to last indication.
///
/// The links must form exactly one chain: one first indication, every other
/// following one in the set, and no indication followed by two. An empty
/// pathway is an empty chain.
pub fn order_chain(links: &[PathwayLink]) -> Result<Vec<i64>, PathwayError> {
    let mut ids = HashSet::with_capacity(links.len());
    for link in links {
        if !ids.insert(link.id) {
            return Err(PathwayError::DuplicateId(link.id));
        }
    }

    let mut successor_of: HashMap<i64, i64> = HashMap::with_capacity(links.len());
    let mut first: Option<i64> = None;
    for link in links {
        match link.predecessor {
            None => {
                if let Some(other) = first {
                    return Err(PathwayError::MultipleStarts {
                        first: other.min(link.id),
                        second: other.max(link.id),
                    });
                }
                first = Some(link.id);
            }
            Some(predecessor) => {
                if predecessor == link.id {
                    return Err(PathwayError::Cycle);
                }
                if !ids.contains(&predecessor) {
                    return Err(PathwayError::MissingPredecessor {
                        id: link.id,
                        predecessor,
                    });
                }
                if successor_of.insert(predecessor, link.id).is_some() {
                    return Err(PathwayError::Fork { predecessor });
                }
            }
        }
    }

    let Some(mut current) = first else {
        // Every indication follows another one in the set: that is a circle.
        return if links.is_empty() {
            Ok(Vec::new())
        } else {
            Err(PathwayError::Cycle)
        };
    };
    let mut chain = Vec::with_capacity(links.len());
    chain.push(current);
    while let Some(&next) = successor_of.get(&current) {
        chain.push(next);
        current = next;
    }
    // Without forks, whatever the walk from the first indication missed
    // must sit on a separate circle.
    if chain.len() == links.len() {
        Ok(chain)
    } else {
        Err(PathwayError::Cycle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn link(id: i64, predecessor: Option<i64>) -> PathwayLink {
        PathwayLink { id, predecessor }
    }

    #[test]
    fn orders_a_chain() {
        let links = [link(3, Some(2)), link(1, None), link(2, Some(1))];
        assert_eq!(order_chain(&links), Ok(vec![1, 2, 3]));
        assert_eq!(order_chain(&[link(7, None)]), Ok(vec![7]));
        assert_eq!(order_chain(&[]), Ok(vec![]));
    }

    #[test]
    fn rejects_broken_chains() {
        assert_eq!(
            order_chain(&[link(1, None), link(1, None)]),
            Err(PathwayError::DuplicateId(1))
        );
        assert_eq!(
            order_chain(&[link(1, None), link(2, Some(1)), link(3, Some(1))]),
            Err(PathwayError::Fork { predecessor: 1 })
        );
        assert_eq!(
            order_chain(&[link(1, None), link(2, None)]),
            Err(PathwayError::MultipleStarts {
                first: 1,
                second: 2
            })
        );
        assert_eq!(
            order_chain(&[link(1, Some(2)), link(2, Some(1))]),
            Err(PathwayError::Cycle)
        );
        assert_eq!(order_chain(&[link(1, Some(1))]), Err(PathwayError::Cycle));
        // A chain plus a separate circle.
        assert_eq!(
            order_chain(&[
                link(1, None),
                link(2, Some(1)),
                link(3, Some(4)),
                link(4, Some(3))
            ]),
            Err(PathwayError::Cycle)
        );
        assert_eq!(
            order_chain(&[link(1, None), link(2, Some(9))]),
            Err(PathwayError::MissingPredecessor {
                id: 2,
                predecessor: 9
            })
        );
    }

    /// Distinct ids in chain order, plus the same links shuffled.
    fn chain_strategy() -> impl Strategy<Value = (Vec<i64>, Vec<PathwayLink>)> {
        proptest::collection::hash_set(any::<i64>(), 1..30)
            .prop_map(|ids| ids.into_iter().collect::<Vec<_>>())
            .prop_flat_map(|chain| {
                let links: Vec<PathwayLink> = chain
                    .iter()
                    .enumerate()
                    .map(|(i, &id)| link(id, i.checked_sub(1).map(|p| chain[p])))
                    .collect();
                (Just(chain), Just(links).prop_shuffle())
            })
    }

    proptest! {
        #[test]
        fn recovers_shuffled_chains((chain, links) in chain_strategy()) {
            prop_assert_eq!(order_chain(&links), Ok(chain));
        }

        #[test]
        fn closing_the_chain_is_a_cycle((chain, mut links) in chain_strategy()) {
            let last = chain[chain.len() - 1];
            for l in &mut links {
                if l.predecessor.is_none() {
                    l.predecessor = Some(last);
                }
            }
            prop_assert_eq!(order_chain(&links), Err(PathwayError::Cycle));
        }

        #[test]
        fn a_second_successor_is_a_fork(
            (chain, mut links) in chain_strategy(),
            at in any::<prop::sample::Index>(),
        ) {
            let predecessor = chain[at.index(chain.len())];
            let extra = chain.iter().copied().max().unwrap_or(0).wrapping_add(1);
            prop_assume!(!chain.contains(&extra));
            links.push(link(extra, Some(predecessor)));
            // Only a fork when the predecessor already had a successor.
            let expected_fork = predecessor != chain[chain.len() - 1];
            let result = order_chain(&links);
            if expected_fork {
                prop_assert_eq!(result, Err(PathwayError::Fork { predecessor }));
            } else {
                prop_assert!(result.is_ok());
            }
        }
    }
}
