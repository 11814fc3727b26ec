//! Borrowed feature matrices, read in place: a [`Matrix`] is `rows × cols` values (f64, or
//! f32 at half the bytes) in row-major or column-major order, as numpy arrays and typed
//! arrays hand them over; [`Columns`] are columns in separate buffers, as Arrow record
//! batches and DataFrames hold them. Both implement [`Features`], which is what scoring
//! reads; nothing is copied. Arithmetic is always in f64: f32 values are widened as read.
//!
//! Non-finite values are refused, but scoring does not pay a separate pass over the data
//! for it: a NaN or infinite feature always makes its row's logit non-finite (∞·0 and
//! ∞ − ∞ are NaN), so scoring checks each block of logits and, on a bad one, finds the
//! value and names its row and column. [`Matrix::new`] checks every value up front, for
//! callers that read a matrix many times (fitting does too).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How a matrix's values are laid out.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// A column of these values.
    fn column(values: &[Self]) -> ColumnValues<'_>;
}

impl Element for f64 {
    #[inline]
    fn to_f64(self) -> f64 {
        self
    }
    fn column(values: &[Self]) -> ColumnValues<'_> {
        ColumnValues::F64(values)
    }
}

impl Element for f32 {
    #[inline]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn column(values: &[Self]) -> ColumnValues<'_> {
        ColumnValues::F32(values)
    }
}

/// What scoring reads: a `rows × cols` table of feature values, by blocks of rows.
///
/// Implemented by [`Matrix`] and [`Columns`]; a host with another layout can implement it
/// too. Implementations sum each row in one fixed order, whatever block the row is in.
pub trait Features: Sync {
    /// Rows.
    fn rows(&self) -> usize;
    /// Columns.
    fn cols(&self) -> usize;
    /// The value at row `r`, column `c` (in range).
    fn value(&self, r: usize, c: usize) -> f64;
    /// How column `c` is named in errors (`column 3`, or `column 'visits'`).
    fn column_label(&self, c: usize) -> String {
        format!("column {c}")
    }
    /// `out[i] = b + Σ_c x[start + i, c] · w[c]` for the `out.len()` rows from `start`.
    fn affine_rows(&self, start: usize, w: &[f64], b: f64, out: &mut [f64]);
    /// How many rows to score at a time: few enough that a block's logits stay in L1
    /// while its sigmoid runs.
    fn block_rows(&self) -> usize {
        256
    }
}

impl<X: Features + ?Sized> Features for &X {
    fn rows(&self) -> usize {
        (**self).rows()
    }
    fn cols(&self) -> usize {
        (**self).cols()
    }
    fn value(&self, r: usize, c: usize) -> f64 {
        (**self).value(r, c)
    }
    fn column_label(&self, c: usize) -> String {
        (**self).column_label(c)
    }
    fn affine_rows(&self, start: usize, w: &[f64], b: f64, out: &mut [f64]) {
        (**self).affine_rows(start, w, b, out);
    }
    fn block_rows(&self) -> usize {
        (**self).block_rows()
    }
}

/// The first non-finite value of row `r`, as an error naming its row and column.
pub(crate) fn bad_value_in_row<X: Features + ?Sized>(x: &X, r: usize) -> Option<Error> {
    (0..x.cols()).find_map(|c| {
        let v = x.value(r, c);
        (!v.is_finite()).then(|| {
            Error::invalid(
                "feature",
                v.to_string(),
                format!("row {r}, {} is not a finite number", x.column_label(c)),
            )
        })
    })
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
    /// A view of `data` as `rows × cols` in `layout`, every value checked to be finite.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `data.len() != rows * cols`, or a value is NaN or
    /// infinite (naming its row and column).
    pub fn new(data: &'a [T], rows: usize, cols: usize, layout: Layout) -> Result<Self> {
        let m = Self::with_shape(data, rows, cols, layout)?;
        m.check_values()?;
        Ok(m)
    }

    /// A view of `data` as `rows × cols` in `layout`, with only the shape checked: for a
    /// matrix read once, by scoring, which finds non-finite values as it goes.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `data.len() != rows * cols`.
    pub fn with_shape(data: &'a [T], rows: usize, cols: usize, layout: Layout) -> Result<Self> {
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
        Ok(Matrix {
            data,
            rows,
            cols,
            layout,
        })
    }

    /// Checks that every value is finite.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the row and column of the first value that is not.
    pub fn check_values(&self) -> Result<()> {
        match self.data.iter().position(|v| !v.to_f64().is_finite()) {
            None => Ok(()),
            Some(i) => {
                let (r, c) = match self.layout {
                    Layout::RowMajor => (i / self.cols.max(1), i % self.cols.max(1)),
                    Layout::ColMajor => (i % self.rows.max(1), i / self.rows.max(1)),
                };
                Err(Error::invalid(
                    "feature",
                    self.data[i].to_string(),
                    format!("row {r}, column {c} is not a finite number"),
                ))
            }
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
}

impl<T: Element> Matrix<'_, T> {
    /// `out[r] = b + Σ_c x[r, c] · w[c]` for every row.
    #[cfg(test)]
    pub(crate) fn affine_into(&self, w: &[f64], b: f64, out: &mut [f64]) {
        self.affine_rows(0, w, b, out);
    }

    /// `out[c] += Σ_i x[start + i, c] · v[i]` over the `v.len()` rows from `start` (the
    /// gradient of a fit), in one pass over those values.
    pub(crate) fn add_transposed_rows(&self, start: usize, v: &[f64], out: &mut [f64]) {
        debug_assert!(start + v.len() <= self.rows);
        debug_assert_eq!(out.len(), self.cols);
        let cols = self.cols;
        if cols == 0 {
            return;
        }
        match self.layout {
            Layout::RowMajor => {
                // Four rows at a time: each `out[c]` is loaded and stored once per four rows.
                let data = &self.data[start * cols..(start + v.len()) * cols];
                let mut groups = data.chunks_exact(4 * cols);
                let mut weights = v.chunks_exact(4);
                for (rows, w) in (&mut groups).zip(&mut weights) {
                    let (r0, rest) = rows.split_at(cols);
                    let (r1, rest) = rest.split_at(cols);
                    let (r2, r3) = rest.split_at(cols);
                    for c in 0..cols {
                        out[c] += (r0[c].to_f64() * w[0] + r1[c].to_f64() * w[1])
                            + (r2[c].to_f64() * w[2] + r3[c].to_f64() * w[3]);
                    }
                }
                for (row, w) in groups
                    .remainder()
                    .chunks_exact(cols)
                    .zip(weights.remainder())
                {
                    for (o, x) in out.iter_mut().zip(row) {
                        *o += x.to_f64() * w;
                    }
                }
            }
            Layout::ColMajor => {
                for (o, col) in out.iter_mut().zip(self.data.chunks_exact(self.rows.max(1))) {
                    *o += dot(&col[start..start + v.len()], v);
                }
            }
        }
    }
}

impl<T: Element> Features for Matrix<'_, T> {
    fn rows(&self) -> usize {
        self.rows
    }

    fn cols(&self) -> usize {
        self.cols
    }

    fn value(&self, r: usize, c: usize) -> f64 {
        self.get(r, c)
    }

    fn affine_rows(&self, start: usize, w: &[f64], b: f64, out: &mut [f64]) {
        debug_assert_eq!(w.len(), self.cols);
        debug_assert!(start + out.len() <= self.rows);
        match self.layout {
            Layout::RowMajor => {
                let values = &self.data[start * self.cols..(start + out.len()) * self.cols];
                rows_dot(values, self.cols, w, b, out);
            }
            Layout::ColMajor => {
                let columns: Vec<ColumnValues<'_>> = self
                    .data
                    .chunks_exact(self.rows.max(1))
                    .map(T::column)
                    .collect();
                columns_dot(&columns, start, w, b, out);
            }
        }
    }

    fn block_rows(&self) -> usize {
        match self.layout {
            // Small blocks: the sigmoid of a block runs while the next rows are still
            // arriving from memory, instead of after the whole matrix.
            Layout::RowMajor => 8,
            Layout::ColMajor => 256,
        }
    }
}

/// One feature column in its own buffer.
#[derive(Debug, Clone, Copy)]
pub enum ColumnValues<'a> {
    /// 64-bit floats.
    F64(&'a [f64]),
    /// 32-bit floats, widened as read.
    F32(&'a [f32]),
}

impl<'a> ColumnValues<'a> {
    /// Values.
    pub fn len(&self) -> usize {
        match self {
            ColumnValues::F64(v) => v.len(),
            ColumnValues::F32(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, r: usize) -> f64 {
        match self {
            ColumnValues::F64(v) => v[r],
            ColumnValues::F32(v) => f64::from(v[r]),
        }
    }
}

/// Feature columns of one length, each in its own buffer (the columns of an Arrow record
/// batch or a DataFrame), optionally named for error messages. Values are checked by what
/// reads them, as for [`Matrix::with_shape`].
#[derive(Debug, Clone)]
pub struct Columns<'a> {
    columns: Vec<ColumnValues<'a>>,
    names: Vec<String>,
    rows: usize,
}

impl<'a> Columns<'a> {
    /// Columns, with their names (or none: errors then say `column 3`).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the columns have different lengths, or there are names
    /// but not one per column.
    pub fn new(columns: Vec<ColumnValues<'a>>, names: Vec<String>) -> Result<Self> {
        if !names.is_empty() && names.len() != columns.len() {
            return Err(Error::invalid(
                "column names",
                format!("{} names", names.len()),
                format!("there are {} columns", columns.len()),
            ));
        }
        let rows = columns.first().map_or(0, ColumnValues::len);
        let out = Columns {
            columns,
            names,
            rows,
        };
        if let Some(c) = out.columns.iter().position(|col| col.len() != rows) {
            return Err(Error::invalid(
                out.column_label(c),
                format!("{} values", out.columns[c].len()),
                format!("the first column has {rows}"),
            ));
        }
        Ok(out)
    }

    /// The values, column after column, as one column-major f64 buffer (a copy, for
    /// fitting, which reads the matrix many times).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the row and column of a value that is not finite.
    pub fn to_col_major(&self) -> Result<Vec<f64>> {
        let mut out = Vec::with_capacity(self.rows * self.columns.len());
        for (c, col) in self.columns.iter().enumerate() {
            for r in 0..self.rows {
                let v = col.get(r);
                if !v.is_finite() {
                    return Err(bad_value_in_row(self, r).unwrap_or_else(|| {
                        Error::invalid("feature", v.to_string(), self.column_label(c))
                    }));
                }
                out.push(v);
            }
        }
        Ok(out)
    }
}

impl Features for Columns<'_> {
    fn rows(&self) -> usize {
        self.rows
    }

    fn cols(&self) -> usize {
        self.columns.len()
    }

    fn value(&self, r: usize, c: usize) -> f64 {
        self.columns[c].get(r)
    }

    fn column_label(&self, c: usize) -> String {
        match self.names.get(c) {
            Some(name) => format!("column '{name}'"),
            None => format!("column {c}"),
        }
    }

    fn affine_rows(&self, start: usize, w: &[f64], b: f64, out: &mut [f64]) {
        columns_dot(&self.columns, start, w, b, out);
    }
}

/// `out[i] = b + Σ_c col_c[start + i] · w[c]` for columns in separate buffers, summed in
/// exactly the order [`rows_dot`] sums a row (four lanes over columns in steps of four,
/// lanes added pairwise, then the last columns one by one) but vectorised across rows: the
/// same row gives the same bits in every layout.
fn columns_dot(columns: &[ColumnValues<'_>], start: usize, w: &[f64], b: f64, out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if super::simd::has_avx2() {
        // SAFETY: the CPU supports AVX2, checked at run time just above; the function
        // only computes on its slices.
        #[allow(unsafe_code)]
        unsafe {
            columns_dot_avx2(columns, start, w, b, out);
        }
        return;
    }
    columns_dot_portable(columns, start, w, b, out);
}

/// [`columns_dot`] compiled for AVX2: the same operations in the same order.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn columns_dot_avx2(
    columns: &[ColumnValues<'_>],
    start: usize,
    w: &[f64],
    b: f64,
    out: &mut [f64],
) {
    columns_dot_portable(columns, start, w, b, out);
}

#[inline(always)]
fn columns_dot_portable(
    columns: &[ColumnValues<'_>],
    start: usize,
    w: &[f64],
    b: f64,
    out: &mut [f64],
) {
    const CHUNK: usize = 256;
    let full = w.len() / ROW_LANES * ROW_LANES;
    for (n, out) in out.chunks_mut(CHUNK).enumerate() {
        let first = start + n * CHUNK;
        let len = out.len();
        let mut lanes = [[0.0f64; CHUNK]; ROW_LANES];
        for (c, (col, &wc)) in columns[..full].iter().zip(w).enumerate() {
            add_scaled(&mut lanes[c % ROW_LANES][..len], col, first, wc);
        }
        let mut t = [0.0f64; CHUNK];
        let t = &mut t[..len];
        for (i, t) in t.iter_mut().enumerate() {
            *t = (lanes[0][i] + lanes[1][i]) + (lanes[2][i] + lanes[3][i]);
        }
        for (col, &wc) in columns[full..].iter().zip(&w[full..]) {
            add_scaled(t, col, first, wc);
        }
        for (o, t) in out.iter_mut().zip(t.iter()) {
            *o = b + t;
        }
    }
}

/// `acc[i] += col[first + i] · w`, asking for the column's next `acc.len()` values too.
#[inline(always)]
fn add_scaled(acc: &mut [f64], col: &ColumnValues<'_>, first: usize, w: f64) {
    let n = acc.len();
    let (base, size) = match col {
        ColumnValues::F64(v) => (v.as_ptr().cast::<u8>(), 8),
        ColumnValues::F32(v) => (v.as_ptr().cast::<u8>(), 4),
    };
    let next = base.wrapping_add((first + n) * size);
    for line in (0..n * size).step_by(64) {
        prefetch(next.wrapping_add(line));
    }
    match col {
        ColumnValues::F64(v) => {
            for (a, x) in acc.iter_mut().zip(&v[first..first + n]) {
                *a += x * w;
            }
        }
        ColumnValues::F32(v) => {
            for (a, x) in acc.iter_mut().zip(&v[first..first + n]) {
                *a += f64::from(*x) * w;
            }
        }
    }
}

/// How far ahead of the rows being summed [`rows_dot`] asks for memory.
const PREFETCH_AHEAD: usize = 4096;

/// Asks the CPU to start loading the cache line at `p` into cache. A hint only: it changes
/// no result, and no address can make it fault.
#[inline(always)]
fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: PREFETCHT0 does not access memory architecturally: it cannot fault on any
    // address, mapped or not, and reads nothing the program sees. SSE is part of the
    // x86-64 baseline, so the instruction always exists.
    #[allow(unsafe_code)]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
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
    #[cfg(target_arch = "x86_64")]
    if super::simd::has_avx2() {
        // SAFETY: the CPU supports AVX2, checked at run time just above; the function
        // only computes on its slices.
        #[allow(unsafe_code)]
        unsafe {
            rows_dot_avx2(x, cols, w, b, out);
        }
        return;
    }
    rows_dot_portable(x, cols, w, b, out);
}

/// [`rows_dot`] compiled for AVX2 (four doubles per instruction). The same additions
/// and multiplications in the same order, without fused multiply-adds: the same bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn rows_dot_avx2<T: Element>(x: &[T], cols: usize, w: &[f64], b: f64, out: &mut [f64]) {
    rows_dot_zipped(x, cols, w, b, out);
}

/// The row kernel around a group kernel: rows four at a time (`group` gives each row's
/// four lanes), prefetching ahead, then the lanes added pairwise and the last columns one
/// by one; rows left over after the groups are summed alone in the same order.
#[inline(always)]
fn rows_dot_with<T: Element>(
    x: &[T],
    cols: usize,
    w: &[f64],
    b: f64,
    out: &mut [f64],
    group: impl Fn(&[T], usize) -> [[f64; ROW_LANES]; ROW_GROUP],
) {
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
    let group_bytes = ROW_GROUP * cols * std::mem::size_of::<T>();
    for (rows, o) in (&mut groups).zip(&mut outs) {
        // Ask for the rows a few groups ahead: the hardware prefetcher alone does not run
        // far enough ahead while the sigmoid of a block keeps the core busy.
        let ahead = rows.as_ptr().cast::<u8>().wrapping_add(PREFETCH_AHEAD);
        for line in (0..group_bytes).step_by(64) {
            prefetch(ahead.wrapping_add(line));
        }
        let acc = group(rows, full);
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

/// The row kernel as SSE2 code runs it best: lanes indexed per row.
#[inline(always)]
fn rows_dot_portable<T: Element>(x: &[T], cols: usize, w: &[f64], b: f64, out: &mut [f64]) {
    rows_dot_with(x, cols, w, b, out, |rows, full| {
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
        acc
    });
}

/// The row kernel as AVX2 code runs it best: the four rows' lanes zipped (no bounds
/// checks, wider registers); the same operations in the same order as
/// [`rows_dot_portable`].
#[inline(always)]
fn rows_dot_zipped<T: Element>(x: &[T], cols: usize, w: &[f64], b: f64, out: &mut [f64]) {
    rows_dot_with(x, cols, w, b, out, |rows, full| {
        let (r0, rest) = rows.split_at(cols);
        let (r1, rest) = rest.split_at(cols);
        let (r2, r3) = rest.split_at(cols);
        let mut acc = [[0.0f64; ROW_LANES]; ROW_GROUP];
        let lanes = r0[..full]
            .chunks_exact(ROW_LANES)
            .zip(r1[..full].chunks_exact(ROW_LANES))
            .zip(r2[..full].chunks_exact(ROW_LANES))
            .zip(r3[..full].chunks_exact(ROW_LANES))
            .zip(w[..full].chunks_exact(ROW_LANES));
        for ((((x0, x1), x2), x3), wc) in lanes {
            for k in 0..ROW_LANES {
                acc[0][k] += x0[k].to_f64() * wc[k];
                acc[1][k] += x1[k].to_f64() * wc[k];
                acc[2][k] += x2[k].to_f64() * wc[k];
                acc[3][k] += x3[k].to_f64() * wc[k];
            }
        }
        acc
    });
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

    #[test]
    fn the_avx2_kernels_give_the_portable_bits() {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            let (rows, cols) = (37, 13);
            let data: Vec<f64> = (0..rows * cols)
                .map(|i| ((i * 7919) % 1013) as f64 / 37.0 - 13.0)
                .collect();
            let data32: Vec<f32> = data.iter().map(|v| *v as f32).collect();
            let w: Vec<f64> = (0..cols).map(|c| (c as f64 - 6.5) / 3.1).collect();
            let (mut a, mut b) = (vec![0.0; rows], vec![0.0; rows]);
            rows_dot_portable(&data, cols, &w, 0.3, &mut a);
            #[allow(unsafe_code)]
            // SAFETY: AVX2 is present (checked above).
            unsafe {
                rows_dot_avx2(&data, cols, &w, 0.3, &mut b);
            }
            assert_eq!(a, b);
            rows_dot_portable(&data32, cols, &w, 0.3, &mut a);
            #[allow(unsafe_code)]
            // SAFETY: AVX2 is present (checked above).
            unsafe {
                rows_dot_avx2(&data32, cols, &w, 0.3, &mut b);
            }
            assert_eq!(a, b);
            let columns: Vec<ColumnValues> =
                data.chunks_exact(rows).map(ColumnValues::F64).collect();
            let cols_w = &w[..columns.len()];
            let (mut c, mut d) = (vec![0.0; rows], vec![0.0; rows]);
            columns_dot_portable(&columns, 0, cols_w, 0.3, &mut c);
            #[allow(unsafe_code)]
            // SAFETY: AVX2 is present (checked above).
            unsafe {
                columns_dot_avx2(&columns, 0, cols_w, 0.3, &mut d);
            }
            assert_eq!(c, d);
            let mut z: Vec<f64> = (0..1000).map(|i| (i as f64 - 500.0) / 7.0).collect();
            let mut z2 = z.clone();
            crate::scoring::fastmath::sigmoid_in_place(&mut z);
            for v in &mut z2 {
                *v = crate::scoring::fastmath::sigmoid(*v);
            }
            assert_eq!(z, z2);
        }
    }
}
