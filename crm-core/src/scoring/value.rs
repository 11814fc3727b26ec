//! Customer value: expected revenue over the next period from an RFM grid.
//!
//! Customers are placed in a cell by recency (days since the last purchase), frequency
//! (purchases in a window) and monetary value (spend in the window), each cut into bins
//! at the training set's quantiles. A cell's value is the mean revenue its training
//! customers brought in the following period, shrunk toward the overall mean in
//! proportion to how few customers the cell holds (`shrinkage` pseudo-customers at the
//! overall mean), so a sparse cell does not predict from two people.
//!
//! Chosen over BG/NBD + Gamma-Gamma (the `lifetimes` models) because it needs no
//! iterative fit of special functions, is exactly reproducible from a few numbers in the
//! model file, explains itself (the cell is the reason), and does not assume the
//! Poisson-purchase / independent-spend shape those models rest on — B2B reorders are
//! often contractual, not Poisson. It is validated on a time split against the naive
//! "same as the last period" forecast (`customers.evaluate_model`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A fitted RFM value model over three feature columns: recency (days since the last
/// purchase), frequency (purchases in the window) and monetary value (spend in the
/// window), in that order.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueModel {
    /// Upper edges of the recency bins (ascending; a value above the last is in the
    /// last bin).
    pub recency_edges: Vec<f64>,
    /// Upper edges of the frequency bins.
    pub frequency_edges: Vec<f64>,
    /// Upper edges of the monetary bins.
    pub monetary_edges: Vec<f64>,
    /// The value of each cell, recency-major (`r × F × M + f × M + m`).
    pub cells: Vec<f64>,
    /// Training customers in each cell.
    pub counts: Vec<u64>,
    /// The mean over all training customers.
    pub overall: f64,
}

/// How to fit.
pub const DEFAULT_BINS: usize = 3;
/// Pseudo-customers at the overall mean added to every cell.
pub const SHRINKAGE: f64 = 5.0;

fn quantile_edges(values: &mut [f64], bins: usize) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut edges: Vec<f64> = (1..bins)
        .map(|k| values[(k * values.len() / bins).min(values.len() - 1)])
        .collect();
    edges.dedup();
    edges
}

fn bin(edges: &[f64], v: f64) -> usize {
    edges.iter().position(|e| v <= *e).unwrap_or(edges.len())
}

impl ValueModel {
    /// Fits the grid to rows of `[recency, frequency, monetary]` (row-major) and the
    /// revenue `y` each customer brought in the following period.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for no rows, mismatched lengths or values that are not
    /// finite.
    pub fn fit(x: &[f64], y: &[f64], bins: usize) -> Result<Self> {
        let n = y.len();
        if n == 0 {
            return Err(Error::invalid(
                "training set",
                "0 rows",
                "nothing to fit on",
            ));
        }
        if x.len() != 3 * n {
            return Err(Error::invalid(
                "X",
                format!("{} values", x.len()),
                format!("needs 3 columns (recency, frequency, monetary) × {n} rows"),
            ));
        }
        if bins == 0 || !x.iter().chain(y).all(|v| v.is_finite()) {
            return Err(Error::invalid(
                "training set",
                "",
                "values must be finite numbers and bins at least 1",
            ));
        }
        let column = |c: usize| (0..n).map(|r| x[r * 3 + c]).collect::<Vec<f64>>();
        let mut m = ValueModel {
            recency_edges: quantile_edges(&mut column(0), bins),
            frequency_edges: quantile_edges(&mut column(1), bins),
            monetary_edges: quantile_edges(&mut column(2), bins),
            cells: Vec::new(),
            counts: Vec::new(),
            overall: y.iter().sum::<f64>() / n as f64,
        };
        let size = m.size();
        let mut sums = vec![0.0; size];
        m.counts = vec![0; size];
        for r in 0..n {
            let c = m.cell(&x[r * 3..r * 3 + 3]);
            sums[c] += y[r];
            m.counts[c] += 1;
        }
        m.cells = sums
            .iter()
            .zip(&m.counts)
            .map(|(s, k)| (s + SHRINKAGE * m.overall) / (*k as f64 + SHRINKAGE))
            .collect();
        Ok(m)
    }

    fn size(&self) -> usize {
        (self.recency_edges.len() + 1)
            * (self.frequency_edges.len() + 1)
            * (self.monetary_edges.len() + 1)
    }

    /// The cell of one `[recency, frequency, monetary]` row.
    pub fn cell(&self, row: &[f64]) -> usize {
        let (fs, ms) = (
            self.frequency_edges.len() + 1,
            self.monetary_edges.len() + 1,
        );
        bin(&self.recency_edges, row[0]) * fs * ms
            + bin(&self.frequency_edges, row[1]) * ms
            + bin(&self.monetary_edges, row[2])
    }

    /// The (1-based) recency, frequency and monetary bins of a row, as people read RFM
    /// codes (recency bin 1 is the most recent).
    pub fn code(&self, row: &[f64]) -> [usize; 3] {
        [
            bin(&self.recency_edges, row[0]) + 1,
            bin(&self.frequency_edges, row[1]) + 1,
            bin(&self.monetary_edges, row[2]) + 1,
        ]
    }

    /// Expected revenue of each row (row-major `[recency, frequency, monetary]`).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `x` is not a whole number of 3-value rows.
    pub fn predict(&self, x: &[f64]) -> Result<Vec<f64>> {
        if !x.len().is_multiple_of(3) {
            return Err(Error::invalid(
                "X",
                format!("{} values", x.len()),
                "needs rows of 3 columns",
            ));
        }
        Ok(x.chunks_exact(3)
            .map(|r| self.cells[self.cell(r)])
            .collect())
    }

    /// Checks that the grid and its cells fit together.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming what does not fit.
    pub fn check(&self) -> Result<()> {
        let sorted = |e: &[f64]| e.windows(2).all(|w| w[0] < w[1]);
        if !(sorted(&self.recency_edges)
            && sorted(&self.frequency_edges)
            && sorted(&self.monetary_edges))
        {
            return Err(Error::invalid(
                "value model",
                "",
                "bin edges must be strictly ascending",
            ));
        }
        if self.cells.len() != self.size() || self.counts.len() != self.size() {
            return Err(Error::invalid(
                "value model",
                format!("{} cells", self.cells.len()),
                format!("the bins make {} cells", self.size()),
            ));
        }
        if !self
            .cells
            .iter()
            .chain([&self.overall])
            .all(|v| v.is_finite())
        {
            return Err(Error::invalid(
                "value model",
                "",
                "a cell value is not a finite number",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_learn_their_mean_shrunk_toward_the_overall() {
        // Recent, frequent, big spenders bring 100; the rest 0.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..90 {
            let good = i % 3 == 0;
            x.extend(if good {
                [5.0, 6.0, 600.0]
            } else {
                [200.0 + i as f64, 1.0, 20.0]
            });
            y.push(if good { 100.0 } else { 0.0 });
        }
        let m = ValueModel::fit(&x, &y, 3).unwrap();
        m.check().unwrap();
        let p = m.predict(&[5.0, 6.0, 600.0, 300.0, 1.0, 20.0]).unwrap();
        assert!(p[0] > 80.0 && p[0] < 100.0, "{p:?}");
        assert!(p[1] < 10.0, "{p:?}");
        assert_eq!(m.code(&[5.0, 6.0, 600.0]), [1, 2, 2]);
        assert!(ValueModel::fit(&[], &[], 3).is_err());
        assert!(ValueModel::fit(&[1.0, 2.0], &[1.0], 3).is_err());
    }
}
