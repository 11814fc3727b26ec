//! Evaluating scores against outcomes: ROC AUC, log-loss, a calibration table, and lift
//! and gain at the top k — what a sales-ops analyst reads to trust a model.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

fn check(scores: &[f64], labels: &[f64]) -> Result<usize> {
    if scores.len() != labels.len() {
        return Err(Error::invalid(
            "labels",
            format!("{} labels", labels.len()),
            format!("there are {} scores", scores.len()),
        ));
    }
    if scores.is_empty() {
        return Err(Error::invalid("scores", "0 scores", "nothing to evaluate"));
    }
    if let Some(i) = scores.iter().position(|s| !s.is_finite()) {
        return Err(Error::invalid(
            "scores",
            scores[i].to_string(),
            format!("score {i} is not finite"),
        ));
    }
    if let Some(i) = labels.iter().position(|v| *v != 0.0 && *v != 1.0) {
        return Err(Error::invalid(
            "labels",
            labels[i].to_string(),
            format!("label {i} is not 0 or 1"),
        ));
    }
    Ok(labels.iter().filter(|v| **v == 1.0).count())
}

/// Indices of `scores` from highest to lowest (ties keep input order).
fn ranked(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order
}

/// The area under the ROC curve: the probability that a random positive scores above a
/// random negative, ties counting half (the Mann–Whitney statistic).
///
/// # Errors
/// [`Error::InvalidValue`] for mismatched lengths, no scores, non-finite scores, labels
/// other than 0/1, or only one class present.
///
/// # Examples
/// ```
/// use crm_core::scoring::evaluate::roc_auc;
/// assert_eq!(roc_auc(&[0.9, 0.8, 0.3, 0.1], &[1.0, 0.0, 1.0, 0.0])?, 0.75);
/// # Ok::<(), crm_core::Error>(())
/// ```
pub fn roc_auc(scores: &[f64], labels: &[f64]) -> Result<f64> {
    let positives = check(scores, labels)?;
    let negatives = scores.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(Error::invalid(
            "labels",
            format!("{positives} positives"),
            "AUC needs both classes",
        ));
    }
    // Average ranks (ascending), ties sharing their mean rank.
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            if labels[k] == 1.0 {
                rank_sum_pos += mean_rank;
            }
        }
        i = j + 1;
    }
    let p = positives as f64;
    Ok((rank_sum_pos - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

/// The mean negative log-likelihood of the labels under probabilities `p`, with `p` clipped
/// to `[1e-15, 1 − 1e-15]` as scikit-learn does.
///
/// # Errors
/// As [`roc_auc`] (one class is allowed), or a probability outside `[0, 1]`.
pub fn log_loss(p: &[f64], labels: &[f64]) -> Result<f64> {
    check(p, labels)?;
    if let Some(i) = p.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(Error::invalid(
            "probabilities",
            p[i].to_string(),
            format!("value {i} is not in [0, 1]"),
        ));
    }
    const EPS: f64 = 1e-15;
    let total: f64 = p
        .iter()
        .zip(labels)
        .map(|(pi, yi)| {
            let q = pi.clamp(EPS, 1.0 - EPS);
            if *yi == 1.0 { -q.ln() } else { -(1.0 - q).ln() }
        })
        .sum();
    Ok(total / p.len() as f64)
}

/// One bin of a calibration table.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// Lower edge of the predicted probability (inclusive).
    pub lower: f64,
    /// Upper edge (exclusive, except 1.0 for the last bin).
    pub upper: f64,
    /// Rows in the bin.
    pub count: usize,
    /// Mean predicted probability in the bin.
    pub mean_predicted: f64,
    /// Observed share of positives in the bin.
    pub observed_rate: f64,
}

/// Predicted against observed rates in `bins` equal-width probability bins (empty bins are
/// left out).
///
/// # Errors
/// As [`log_loss`], or `bins == 0`.
pub fn calibration(p: &[f64], labels: &[f64], bins: usize) -> Result<Vec<CalibrationBin>> {
    log_loss(p, labels)?;
    if bins == 0 {
        return Err(Error::invalid("bins", "0", "needs at least one bin"));
    }
    let mut sums = vec![(0usize, 0.0f64, 0.0f64); bins];
    for (pi, yi) in p.iter().zip(labels) {
        let b = ((pi * bins as f64) as usize).min(bins - 1);
        sums[b].0 += 1;
        sums[b].1 += pi;
        sums[b].2 += yi;
    }
    Ok(sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s.0 > 0)
        .map(|(b, &(count, sp, sy))| CalibrationBin {
            lower: b as f64 / bins as f64,
            upper: (b + 1) as f64 / bins as f64,
            count,
            mean_predicted: sp / count as f64,
            observed_rate: sy / count as f64,
        })
        .collect())
}

/// What working only the top-scored leads buys.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LiftAtK {
    /// How many top-scored rows.
    pub k: usize,
    /// Positives among them.
    pub positives: usize,
    /// Their share of all positives (the gain).
    pub gain: f64,
    /// Their positive rate over the overall positive rate (the lift).
    pub lift: f64,
}

/// Lift and gain among the `k` highest scores (`k` is capped at the number of rows).
///
/// # Errors
/// As [`roc_auc`], or `k == 0`.
pub fn lift_at_k(scores: &[f64], labels: &[f64], k: usize) -> Result<LiftAtK> {
    let total_pos = check(scores, labels)?;
    if k == 0 {
        return Err(Error::invalid("k", "0", "needs at least one row"));
    }
    if total_pos == 0 {
        return Err(Error::invalid(
            "labels",
            "0 positives",
            "lift needs at least one positive",
        ));
    }
    let k = k.min(scores.len());
    let positives = ranked(scores)[..k]
        .iter()
        .filter(|&&i| labels[i] == 1.0)
        .count();
    let base_rate = total_pos as f64 / scores.len() as f64;
    Ok(LiftAtK {
        k,
        positives,
        gain: positives as f64 / total_pos as f64,
        lift: (positives as f64 / k as f64) / base_rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hand_computed_values() {
        assert_eq!(
            roc_auc(&[0.1, 0.4, 0.35, 0.8], &[0.0, 0.0, 1.0, 1.0]).unwrap(),
            0.75
        );
        assert_eq!(
            roc_auc(&[0.5, 0.5], &[0.0, 1.0]).unwrap(),
            0.5,
            "ties count half"
        );
        let ll = log_loss(&[0.9, 0.2], &[1.0, 0.0]).unwrap();
        assert!((ll - (-(0.9f64).ln() - (0.8f64).ln()) / 2.0).abs() < 1e-15);
        assert!(
            log_loss(&[0.0], &[1.0]).unwrap().is_finite(),
            "clipped, not infinite"
        );
        let cal = calibration(&[0.05, 0.15, 0.12, 0.95], &[0.0, 1.0, 0.0, 1.0], 10).unwrap();
        assert_eq!(cal.len(), 3);
        assert_eq!((cal[1].count, cal[1].observed_rate), (2, 0.5));
        let l = lift_at_k(&[0.9, 0.8, 0.7, 0.1], &[1.0, 1.0, 0.0, 0.0], 2).unwrap();
        assert_eq!((l.positives, l.gain, l.lift), (2, 1.0, 2.0));
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(roc_auc(&[0.1], &[1.0]).is_err());
        assert!(roc_auc(&[0.1, f64::NAN], &[1.0, 0.0]).is_err());
        assert!(roc_auc(&[0.1, 0.2], &[1.0]).is_err());
        assert!(log_loss(&[1.5], &[1.0]).is_err());
        assert!(calibration(&[0.5], &[1.0], 0).is_err());
        assert!(lift_at_k(&[0.5], &[0.0], 1).is_err());
        assert!(roc_auc(&[], &[]).is_err());
    }

    proptest! {
        #[test]
        fn auc_matches_the_pairwise_definition(pairs in proptest::collection::vec((0u8..5, proptest::bool::ANY), 2..40)) {
            let scores: Vec<f64> = pairs.iter().map(|(s, _)| f64::from(*s)).collect();
            let labels: Vec<f64> = pairs.iter().map(|(_, y)| if *y { 1.0 } else { 0.0 }).collect();
            let pos: Vec<f64> = scores.iter().zip(&labels).filter(|(_, y)| **y == 1.0).map(|(s, _)| *s).collect();
            let neg: Vec<f64> = scores.iter().zip(&labels).filter(|(_, y)| **y == 0.0).map(|(s, _)| *s).collect();
            prop_assume!(!pos.is_empty() && !neg.is_empty());
            let mut wins = 0.0;
            for p in &pos {
                for n in &neg {
                    wins += if p > n { 1.0 } else if p == n { 0.5 } else { 0.0 };
                }
            }
            let expected = wins / (pos.len() * neg.len()) as f64;
            prop_assert!((roc_auc(&scores, &labels).unwrap() - expected).abs() < 1e-12);
        }
    }
}
