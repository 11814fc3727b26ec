//! A checked, borrowed view of a feature matrix: `rows × cols` values (f64, or f32 at half
//! the bytes) in row-major or column-major order. Scoring reads the caller's memory in
//! place (numpy, Arrow and typed arrays all hand over one of these layouts); nothing is
//! copied. Arithmetic is always in f64: f32 values are widened as they are read.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How a matrix's values are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Row after row (C order): value `(r, c)` at `r * cols + c`.
    RowMajor,
    /// Column after column (Fortran order): value `(r, c)` at `c * rows + r`.
    ColMajor,
}

/// A matrix element: f64 or f32.
pub trait Element: Copy + Send + Sync + std::fmt::Display + 'static {
    /// The value as f64 (exact for both types).
    fn to_f64(self) -> f64;
}

impl Element for f64 {
    #[inline]
    fn to_f64(self) -> f64 {
        self
    }
}

impl Element for f32 {
    #[inline]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

/// A `rows × cols` matrix over borrowed values, every one finite.
#[derive(Debug, Clone, Copy)]
pub struct Matrix<'a, T: Element = f64> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    layout: Layout,
}

impl<'a, T: Element> Matrix<'a, T> {
    /// A view of `data` as `rows × cols` in `layout`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `data.len() != rows * cols`, or a value is NaN or
    /// infinite (naming its row and column).
    pub fn new(data: &'a [T], rows: usize, cols: usize, layout: Layout) -> Result<Self> {
        let expected = rows.checked_mul(cols).ok_or_else(|| {
            Error::invalid("matrix shape", format!("{rows} × {cols}"), "too large")
        })?;
        if data.len() != expected {
            return Err(Error::invalid(
                "matrix shape",
                format!("{} values", data.len()),
                format!("{rows} rows × {cols} columns need {expected} values"),
            ));
        }
        if let Some(i) = data.iter().position(|v| !v.to_f64().is_finite()) {
            let (r, c) = match layout {
                Layout::RowMajor => (i / cols.max(1), i % cols.max(1)),
                Layout::ColMajor => (i % rows.max(1), i / rows.max(1)),
            };
            return Err(Error::invalid(
                "feature",
                data[i].to_string(),
                format!("row {r}, column {c} is not a finite number"),
            ));
        }
        Ok(Matrix {
            data,
            rows,
            cols,
            layout,
        })
    }

    /// A view of values already checked (a block of a checked matrix).
    pub(crate) fn new_unchecked(data: &'a [T], rows: usize, cols: usize, layout: Layout) -> Self {
        debug_assert_eq!(data.len(), rows * cols);
        Matrix {
            data,
            rows,
            cols,
            layout,
        }
    }

    /// Rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The values, in layout order.
    pub fn data(&self) -> &'a [T] {
        self.data
    }

    /// The value at row `r`, column `c`.
    ///
    /// # Panics
    /// When `r` or `c` is out of range.
    pub fn get(&self, r: usize, c: usize) -> f64 {
        assert!(
            r < self.rows && c < self.cols,
            "({r}, {c}) outside {} × {}",
            self.rows,
            self.cols
        );
        match self.layout {
            Layout::RowMajor => self.data[r * self.cols + c].to_f64(),
            Layout::ColMajor => self.data[c * self.rows + r].to_f64(),
        }
    }

    /// `out[r] = Σ_c x[r, c] · w[c] + b`, in one pass over the values in layout order.
    pub(crate) fn affine_into(&self, w: &[f64], b: f64, out: &mut [f64]) {
        debug_assert_eq!(w.len(), self.cols);
        debug_assert_eq!(out.len(), self.rows);
        match self.layout {
            Layout::RowMajor => {
                if self.cols == 0 {
                    out.fill(b);
                    return;
                }
                rows_dot(self.data, self.cols, w, b, out);
            }
            Layout::ColMajor => {
                out.fill(b);
                if self.rows == 0 {
                    return;
                }
                for (col, &wc) in self.data.chunks_exact(self.rows).zip(w) {
                    for (o, x) in out.iter_mut().zip(col) {
                        *o += x.to_f64() * wc;
                    }
                }
            }
        }
    }
}

/// Rows handled together by [`rows_dot`], and accumulators per row.
const ROW_GROUP: usize = 4;
const ROW_LANES: usize = 4;

/// `out[r] = b + Σ_c x[r, c] · w[c]` for row-major `x`, four rows at a time: each slice of
/// `w` is loaded once for four rows, which halves the instructions per byte of `x` so that
/// more of the matrix is in flight from memory at once. Every row is summed in the same
/// order (four lanes over columns in steps of four, lanes added pairwise, then the last
/// columns one by one) whether it falls in a group or in the remainder, so splitting the
/// rows anywhere — between threads, between blocks — never changes a result's bits.
fn rows_dot<T: Element>(x: &[T], cols: usize, w: &[f64], b: f64, out: &mut [f64]) {
    let full = cols / ROW_LANES * ROW_LANES;
    let finish = |acc: [f64; ROW_LANES], row: &[T]| {
        let mut t = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for (x, w) in row[full..].iter().zip(&w[full..]) {
            t += x.to_f64() * w;
        }
        b + t
    };
    let mut groups = x.chunks_exact(ROW_GROUP * cols);
    let mut outs = out.chunks_exact_mut(ROW_GROUP);
    for (rows, o) in (&mut groups).zip(&mut outs) {
        let mut acc = [[0.0f64; ROW_LANES]; ROW_GROUP];
        for c in (0..full).step_by(ROW_LANES) {
            let wc = &w[c..c + ROW_LANES];
            for (r, acc) in acc.iter_mut().enumerate() {
                let xr = &rows[r * cols + c..r * cols + c + ROW_LANES];
                for k in 0..ROW_LANES {
                    acc[k] += xr[k].to_f64() * wc[k];
                }
            }
        }
        for (r, (o, acc)) in o.iter_mut().zip(acc).enumerate() {
            *o = finish(acc, &rows[r * cols..(r + 1) * cols]);
        }
    }
    for (o, row) in outs
        .into_remainder()
        .iter_mut()
        .zip(groups.remainder().chunks_exact(cols))
    {
        let mut acc = [0.0f64; ROW_LANES];
        for (xc, wc) in row[..full]
            .chunks_exact(ROW_LANES)
            .zip(w.chunks_exact(ROW_LANES))
        {
            for k in 0..ROW_LANES {
                acc[k] += xc[k].to_f64() * wc[k];
            }
        }
        *o = finish(acc, row);
    }
}

/// `Σ a[i]·b[i]` with eight independent accumulators: enough independent additions in
/// flight for the vector units to run at memory speed (fewer leave them waiting on the
/// latency of one chain of additions).
pub(crate) fn dot<T: Element>(a: &[T], b: &[f64]) -> f64 {
    const LANES: usize = 8;
    let mut acc = [0.0f64; LANES];
    let (a8, b8) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f64 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x.to_f64() * y)
        .sum();
    for (ca, cb) in a8.zip(b8) {
        for k in 0..LANES {
            acc[k] += ca[k].to_f64() * cb[k];
        }
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_values_are_checked() {
        let data = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert!(Matrix::new(&data, 2, 2, Layout::RowMajor).is_err());
        let err = Matrix::new(&[1.0, f64::NAN], 1, 2, Layout::RowMajor).unwrap_err();
        assert!(err.to_string().contains("row 0, column 1"), "{err}");
        let row = Matrix::new(&data, 2, 3, Layout::RowMajor).unwrap();
        let col = Matrix::new(&[1.0, 4.0, 2.0, 5.0, 3.0, 6.0], 2, 3, Layout::ColMajor).unwrap();
        for r in 0..2 {
            for c in 0..3 {
                assert_eq!(row.get(r, c), col.get(r, c));
            }
        }
        let w = [0.5, -1.0, 2.0];
        let (mut a, mut b) = ([0.0; 2], [0.0; 2]);
        row.affine_into(&w, 1.0, &mut a);
        col.affine_into(&w, 1.0, &mut b);
        assert_eq!(a, [1.0 + 0.5 - 2.0 + 6.0, 1.0 + 2.0 - 5.0 + 12.0]);
        assert_eq!(a, b);
        // f32 values read as the same numbers.
        let data32: Vec<f32> = data.iter().map(|v| *v as f32).collect();
        let row32 = Matrix::new(&data32, 2, 3, Layout::RowMajor).unwrap();
        let mut c = [0.0; 2];
        row32.affine_into(&w, 1.0, &mut c);
        assert_eq!(a, c);
        assert!(Matrix::new(&[f32::INFINITY], 1, 1, Layout::RowMajor).is_err());
    }

    #[test]
    fn a_row_scores_the_same_bits_in_a_group_or_alone() {
        // 13 rows × 11 columns: groups of four rows plus a remainder, four lanes plus a tail.
        let (rows, cols) = (13, 11);
        let data: Vec<f64> = (0..rows * cols)
            .map(|i| ((i * 7919) % 1000) as f64 / 97.0 - 5.0)
            .collect();
        let w: Vec<f64> = (0..cols).map(|c| (c as f64 - 4.5) / 3.0).collect();
        let mut all = vec![0.0; rows];
        Matrix::new(&data, rows, cols, Layout::RowMajor)
            .unwrap()
            .affine_into(&w, 0.25, &mut all);
        for (r, got) in all.iter().enumerate() {
            let row = &data[r * cols..(r + 1) * cols];
            let mut alone = [0.0];
            Matrix::new(row, 1, cols, Layout::RowMajor)
                .unwrap()
                .affine_into(&w, 0.25, &mut alone);
            assert_eq!(got.to_bits(), alone[0].to_bits(), "row {r}");
            let naive = 0.25 + row.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>();
            assert!((got - naive).abs() < 1e-12, "row {r}: {got} vs {naive}");
        }
    }
}
