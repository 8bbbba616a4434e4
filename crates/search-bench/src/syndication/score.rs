//! Predicted copy groups scored against a [`Truth`]: pairwise precision and
//! recall, quote-only articles grouped with their source, boilerplate grouped.
//!
//! A passage is an (article id, paragraph) pair. Two passages form a *pair* when
//! they are in the same group; precision is the share of predicted pairs that
//! are true pairs, recall the share of true pairs that are predicted. The
//! truth's boilerplate passages are left out of both sides (the engine excludes
//! boilerplate from grouping; [`Scores::boilerplate_grouped`] counts those it
//! grouped anyway). Every other passage counts: a predicted pair of two passages
//! in no true group (a credit line, an unrelated paragraph) is a false pair.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::{PassageRef, Truth};

/// The goals of the copy groups.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Targets {
    /// Least pairwise precision.
    pub precision: f64,
    /// Least pairwise recall.
    pub recall: f64,
    /// Most quote-only articles grouped with their source.
    pub quotes_grouped: usize,
    /// Most boilerplate passages in a group.
    pub boilerplate_grouped: usize,
}

impl Default for Targets {
    /// Precision >= 0.99, recall >= 0.95, no quote-only article grouped with its
    /// source, no boilerplate grouped.
    fn default() -> Self {
        Targets {
            precision: 0.99,
            recall: 0.95,
            quotes_grouped: 0,
            boilerplate_grouped: 0,
        }
    }
}

/// Two passages: a false pair (grouped, not copies) or a missed one (copies,
/// not grouped); for a grouped quote, a passage of the quote-only article and
/// one of its source's family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The first passage.
    pub a: PassageRef,
    /// The second passage.
    pub b: PassageRef,
}

/// How the predicted groups compare with the truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Predicted groups of two or more passages (boilerplate left out).
    pub predicted_groups: usize,
    /// True groups.
    pub true_groups: usize,
    /// Pairs of passages in the same predicted group.
    pub predicted_pairs: u64,
    /// Pairs of passages in the same true group.
    pub true_pairs: u64,
    /// Predicted pairs that are true pairs.
    pub correct_pairs: u64,
    /// `correct_pairs / predicted_pairs` (1 when nothing is predicted).
    pub precision: f64,
    /// `correct_pairs / true_pairs` (1 when the truth has no pair).
    pub recall: f64,
    /// Quote-only articles in the truth.
    pub quote_articles: usize,
    /// Quote-only articles with a passage in a group with a passage of their
    /// source or of one of its copies.
    pub quotes_grouped: usize,
    /// Boilerplate passages in the truth.
    pub boilerplate_passages: usize,
    /// Boilerplate passages found in a predicted group.
    pub boilerplate_grouped: usize,
    /// Credit lines of copies in the truth.
    pub credit_passages: usize,
    /// Credit lines found in a predicted group (each one makes false pairs).
    pub credits_grouped: usize,
    /// Predicted pairs with a credit line in them (counted in `predicted_pairs`,
    /// never correct).
    pub credit_pairs: u64,
    /// Passages found in more than one predicted group (the engine's groups
    /// should be disjoint); each group's pairs count.
    pub passages_in_several_groups: usize,
    /// A few false pairs.
    pub false_pairs: Vec<Example>,
    /// A few missed pairs.
    pub missed_pairs: Vec<Example>,
    /// A few grouped quotes.
    pub grouped_quotes: Vec<Example>,
}

impl Scores {
    /// The targets missed, each as a sentence; empty when all are met.
    pub fn misses(&self, targets: &Targets) -> Vec<String> {
        let mut out = Vec::new();
        if self.precision < targets.precision {
            out.push(format!(
                "precision {:.4} is below {}",
                self.precision, targets.precision
            ));
        }
        if self.recall < targets.recall {
            out.push(format!(
                "recall {:.4} is below {}",
                self.recall, targets.recall
            ));
        }
        if self.quotes_grouped > targets.quotes_grouped {
            out.push(format!(
                "{} quote-only articles grouped with their source (at most {})",
                self.quotes_grouped, targets.quotes_grouped
            ));
        }
        if self.boilerplate_grouped > targets.boilerplate_grouped {
            out.push(format!(
                "{} boilerplate passages grouped (at most {})",
                self.boilerplate_grouped, targets.boilerplate_grouped
            ));
        }
        out
    }
}

fn pairs(n: usize) -> u64 {
    let n = n as u64;
    n * n.saturating_sub(1) / 2
}

/// Scores `predicted` (each group's passages, any order) against `truth`,
/// keeping up to `examples` examples of each kind of error.
pub fn score(truth: &Truth, predicted: &[Vec<PassageRef>], examples: usize) -> Scores {
    let boilerplate: HashSet<&PassageRef> = truth.boilerplate.iter().collect();
    let credits: HashSet<&PassageRef> = truth.credits.iter().collect();
    let mut label: HashMap<&PassageRef, usize> = HashMap::new();
    // Each article's family: the original of the group it is in (a copy's
    // original), so that a quote grouped with a copy of its source counts.
    let mut family: HashMap<&str, &str> = HashMap::new();
    let mut true_pairs = 0;
    for (g, group) in truth.groups.iter().enumerate() {
        let members: Vec<&PassageRef> = group.iter().filter(|p| !boilerplate.contains(p)).collect();
        true_pairs += pairs(members.len());
        for p in &members {
            label.insert(p, g);
        }
        if let Some(first) = group.first() {
            for p in group {
                family.insert(&p.id, &first.id);
            }
        }
    }

    let mut boilerplate_grouped: BTreeSet<&PassageRef> = BTreeSet::new();
    let mut groups: Vec<Vec<&PassageRef>> = Vec::new();
    for group in predicted {
        let members: BTreeSet<&PassageRef> = group.iter().collect();
        if members.len() < 2 {
            continue;
        }
        let mut kept = Vec::with_capacity(members.len());
        for p in members {
            if boilerplate.contains(p) {
                boilerplate_grouped.insert(p);
            } else {
                kept.push(p);
            }
        }
        if kept.len() >= 2 {
            groups.push(kept);
        }
    }

    let mut seen: HashSet<&PassageRef> = HashSet::new();
    let mut several: HashSet<&PassageRef> = HashSet::new();
    let mut credits_grouped: HashSet<&PassageRef> = HashSet::new();
    let (mut predicted_pairs, mut correct_pairs, mut credit_pairs) = (0, 0, 0);
    let mut false_pairs = Vec::new();
    let mut by_article: HashMap<&str, Vec<usize>> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        predicted_pairs += pairs(group.len());
        let mut per_label: HashMap<usize, usize> = HashMap::new();
        let mut credit_members = 0;
        for p in group {
            if !seen.insert(p) {
                several.insert(p);
            }
            if let Some(&l) = label.get(p) {
                *per_label.entry(l).or_default() += 1;
            }
            if credits.contains(p) {
                credits_grouped.insert(p);
                credit_members += 1;
            }
            let articles = by_article.entry(&p.id).or_default();
            if articles.last() != Some(&g) {
                articles.push(g);
            }
        }
        correct_pairs += per_label.values().map(|&c| pairs(c)).sum::<u64>();
        credit_pairs += pairs(group.len()) - pairs(group.len() - credit_members);
        'pairs: for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                if false_pairs.len() >= examples {
                    break 'pairs;
                }
                let same = matches!((label.get(a), label.get(b)), (Some(x), Some(y)) if x == y);
                if !same {
                    false_pairs.push(example(a, b));
                }
            }
        }
    }

    let mut group_of: HashMap<&PassageRef, usize> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for p in group {
            group_of.entry(p).or_insert(g);
        }
    }
    let mut missed_pairs = Vec::new();
    'missed: for group in &truth.groups {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                if missed_pairs.len() >= examples {
                    break 'missed;
                }
                let together =
                    matches!((group_of.get(a), group_of.get(b)), (Some(x), Some(y)) if x == y);
                if !together {
                    missed_pairs.push(example(a, b));
                }
            }
        }
    }

    let family_of = |id: &str| -> String { family.get(id).copied().unwrap_or(id).to_owned() };
    let mut quotes_grouped = 0;
    let mut grouped_quotes = Vec::new();
    for quote in &truth.quotes {
        let source = family_of(&quote.source);
        let mut found = None;
        for &g in by_article.get(quote.id.as_str()).into_iter().flatten() {
            let group = &groups[g];
            let mine = group.iter().find(|p| p.id == quote.id);
            let theirs = group.iter().find(|p| family_of(&p.id) == source);
            if let (Some(a), Some(b)) = (mine, theirs) {
                found = Some(example(a, b));
                break;
            }
        }
        if let Some(found) = found {
            quotes_grouped += 1;
            if grouped_quotes.len() < examples {
                grouped_quotes.push(found);
            }
        }
    }

    Scores {
        predicted_groups: groups.len(),
        true_groups: truth.groups.len(),
        predicted_pairs,
        true_pairs,
        correct_pairs,
        precision: if predicted_pairs == 0 {
            1.0
        } else {
            correct_pairs as f64 / predicted_pairs as f64
        },
        recall: if true_pairs == 0 {
            1.0
        } else {
            correct_pairs as f64 / true_pairs as f64
        },
        quote_articles: truth.quotes.len(),
        quotes_grouped,
        boilerplate_passages: truth.boilerplate.len(),
        boilerplate_grouped: boilerplate_grouped.len(),
        credit_passages: truth.credits.len(),
        credits_grouped: credits_grouped.len(),
        credit_pairs,
        passages_in_several_groups: several.len(),
        false_pairs,
        missed_pairs,
        grouped_quotes,
    }
}

fn example(a: &PassageRef, b: &PassageRef) -> Example {
    Example {
        a: a.clone(),
        b: b.clone(),
    }
}
