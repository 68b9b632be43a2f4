//! Text drawn from the glyph outlines of the DejaVu Sans font compiled into the binary, so that
//! a chart reads the same on every machine: the PNG is rasterised from the outlines, and the
//! SVG carries the outlines as `<path>` elements instead of `<text>` (an SVG `<text>` is drawn
//! with whatever fonts the viewer has, and a machine without fonts shows nothing or boxes).
//!
//! [`GlyphText`] wraps any plotters backend: every drawing call goes to the wrapped backend
//! except text, which it lays out itself (advance widths and kerning pairs, left side bearings
//! kept) and measures the same way, so plotters sizes label areas and captions from the same
//! numbers it draws with.

use std::cell::RefCell;
use std::rc::Rc;

use ab_glyph::{point, Font, FontRef, GlyphId, OutlineCurve, PxScale, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use plotters_backend::{FontStyle, FontTransform};

/// The embedded fonts (regular and bold), parsed once.
fn font(bold: bool) -> FontRef<'static> {
    static FONTS: std::sync::OnceLock<[FontRef<'static>; 2]> = std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let parse =
            |bytes: &'static [u8]| FontRef::try_from_slice(bytes).expect("the embedded DejaVu Sans font parses");
        [parse(dejavu::sans::regular()), parse(dejavu::sans::bold())]
    });
    fonts[bold as usize].clone()
}

/// A line of text laid out at a pixel size: glyphs with their pen positions, and its extent.
struct Line {
    font: FontRef<'static>,
    scale: PxScale,
    glyphs: Vec<(GlyphId, f32)>,
    width: f32,
    ascent: f32,
    height: f32,
}

fn layout(text: &str, size: f64, bold: bool) -> Line {
    let font = font(bold);
    let scale = PxScale::from(size as f32);
    let sf = font.as_scaled(scale);
    let mut pen = 0f32;
    let mut prev: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            pen += sf.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += sf.h_advance(id);
        prev = Some(id);
    }
    let (ascent, height) = (sf.ascent(), sf.ascent() - sf.descent());
    Line { font, scale, glyphs, width: pen, ascent, height }
}

/// Width in pixels of `text` at pixel size `size`, as it is drawn.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    layout(text, size, bold).width as f64
}

fn is_bold(style: FontStyle) -> bool {
    matches!(style, FontStyle::Bold)
}

/// Offset of the line's origin (pen start on the baseline) from the anchor point, unrotated.
fn origin<S: BackendTextStyle>(line: &Line, style: &S) -> (f32, f32) {
    let a = style.anchor();
    let dx = match a.h_pos {
        HPos::Left => 0.0,
        HPos::Center => -line.width / 2.0,
        HPos::Right => -line.width,
    };
    let dy = match a.v_pos {
        VPos::Top => line.ascent,
        VPos::Center => line.ascent - line.height / 2.0,
        VPos::Bottom => line.ascent - line.height,
    };
    (dx, dy)
}

/// A plotters backend whose text is drawn from glyph outlines. With `svg_text` set, text goes
/// there as SVG `<path>` elements (to be placed into the document by [`insert_svg_text`]);
/// otherwise it is rasterised into the wrapped backend.
pub struct GlyphText<B> {
    inner: B,
    svg_text: Option<Rc<RefCell<SvgText>>>,
}

impl<B: DrawingBackend> GlyphText<B> {
    /// Rasterised text (bitmap backends).
    pub fn raster(inner: B) -> Self {
        GlyphText { inner, svg_text: None }
    }
    /// Text as SVG glyph references collected in `sink`.
    pub fn svg(inner: B, sink: Rc<RefCell<SvgText>>) -> Self {
        GlyphText { inner, svg_text: Some(sink) }
    }
}

/// Text drawn into an SVG: each glyph's outline once, in font units (`<defs>`), and each text
/// as `<use>` references to them, placed and scaled.
#[derive(Default)]
pub struct SvgText {
    defs: String,
    defined: std::collections::HashSet<String>,
    body: String,
}

/// Puts the collected text at the end of an SVG document (text is drawn on top of the chart).
/// Glyph ids (`esgr36`: regular glyph 36) depend only on the font, so several charts inlined
/// in one HTML page share them harmlessly.
pub fn insert_svg_text(svg: &mut String, text: &SvgText) {
    if let Some(i) = svg.find("<svg ") {
        if !svg[i..].starts_with("<svg xmlns:xlink") {
            svg.insert_str(i + 5, "xmlns:xlink=\"http://www.w3.org/1999/xlink\" ");
        }
    }
    let block = format!("<defs>\n{}</defs>\n{}", text.defs, text.body);
    match svg.rfind("</svg>") {
        Some(i) => svg.insert_str(i, &block),
        None => svg.push_str(&block),
    }
}

/// A glyph outline as SVG path data in font units, y pointing down.
fn outline_path(outline: &ab_glyph::Outline) -> String {
    let mut d = String::new();
    let mut last: Option<ab_glyph::Point> = None;
    let p = |q: ab_glyph::Point| format!("{} {}", q.x.round() as i32, (-q.y).round() as i32);
    for c in &outline.curves {
        let start = match c {
            OutlineCurve::Line(a, _) | OutlineCurve::Quad(a, _, _) | OutlineCurve::Cubic(a, _, _, _) => *a,
        };
        if last != Some(start) {
            d.push_str(&format!("M{}", p(start)));
        }
        match c {
            OutlineCurve::Line(_, b) => {
                d.push_str(&format!("L{}", p(*b)));
                last = Some(*b);
            }
            OutlineCurve::Quad(_, b, e) => {
                d.push_str(&format!("Q{} {}", p(*b), p(*e)));
                last = Some(*e);
            }
            OutlineCurve::Cubic(_, b, c2, e) => {
                d.push_str(&format!("C{} {} {}", p(*b), p(*c2), p(*e)));
                last = Some(*e);
            }
        }
    }
    d
}

fn hex(c: BackendColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.rgb.0, c.rgb.1, c.rgb.2)
}

impl<B: DrawingBackend> GlyphText<B> {
    /// A line of `style.stroke_width()` pixels drawn as the SVG renderer draws it: every pixel
    /// whose centre lies within half the width of a segment, so that its thickness does not
    /// change with the slope (the bitmap rasteriser widens thick lines vertically or
    /// horizontally, which made PNG lines thinner on some segments than the SVG's). Joins and
    /// ends come out round.
    fn thick_path<S: BackendStyle>(
        &mut self,
        points: &[BackendCoord],
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let half = style.stroke_width() as f64 / 2.0;
        let (w, h) = self.inner.get_size();
        let color = style.color();
        let mut done = std::collections::HashSet::new();
        for seg in points.windows(2) {
            let ((x0, y0), (x1, y1)) = ((seg[0].0 as f64, seg[0].1 as f64), (seg[1].0 as f64, seg[1].1 as f64));
            let (dx, dy) = (x1 - x0, y1 - y0);
            let len2 = dx * dx + dy * dy;
            let reach = half.ceil() as i32 + 1;
            let (xa, xb) = (seg[0].0.min(seg[1].0) - reach, seg[0].0.max(seg[1].0) + reach);
            let (ya, yb) = (seg[0].1.min(seg[1].1) - reach, seg[0].1.max(seg[1].1) + reach);
            // Segments far outside the canvas draw nothing.
            let (xa, xb, ya, yb) = (xa.max(0), xb.min(w as i32 - 1), ya.max(0), yb.min(h as i32 - 1));
            for py in ya..=yb {
                for px in xa..=xb {
                    let (qx, qy) = (px as f64, py as f64);
                    let t = if len2 > 0.0 { (((qx - x0) * dx + (qy - y0) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
                    let (cx, cy) = (x0 + t * dx - qx, y0 + t * dy - qy);
                    if cx * cx + cy * cy <= half * half && done.insert((px, py)) {
                        self.inner.draw_pixel((px, py), color)?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl<B: DrawingBackend> DrawingBackend for GlyphText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if self.svg_text.is_none() && style.stroke_width() > 1 {
            return self.thick_path(&[from, to], style);
        }
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if self.svg_text.is_none() && style.stroke_width() > 1 {
            let points: Vec<BackendCoord> = path.into_iter().collect();
            return self.thick_path(&points, style);
        }
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let line = layout(text, style.size(), is_bold(style.style()));
        let (w, h) = (line.width.ceil() as u32, line.height.ceil() as u32);
        Ok(match style.transform() {
            FontTransform::Rotate90 | FontTransform::Rotate270 => (h, w),
            _ => (w, h),
        })
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let line = layout(text, style.size(), is_bold(style.style()));
        let (ox, oy) = origin(&line, style);
        let trans = style.transform();
        match &self.svg_text {
            Some(sink) => {
                let sf = line.font.as_scaled(line.scale);
                let k = sf.h_scale_factor();
                let bold = is_bold(style.style());
                let mut sink = sink.borrow_mut();
                let mut uses = String::new();
                for &(id, x) in &line.glyphs {
                    let key = format!("esg{}{}", if bold { "b" } else { "r" }, id.0);
                    if !sink.defined.contains(&key) {
                        let Some(outline) = line.font.outline(id) else { continue };
                        let d = outline_path(&outline);
                        sink.defs.push_str(&format!("<path id=\"{key}\" d=\"{d}\"/>\n"));
                        sink.defined.insert(key.clone());
                    }
                    uses.push_str(&format!(
                        "<use xlink:href=\"#{key}\" transform=\"translate({:.2} {:.2}) scale({k:.6})\"/>",
                        ox + x,
                        oy
                    ));
                }
                let rotation = match trans {
                    FontTransform::None => "",
                    FontTransform::Rotate90 => " rotate(90)",
                    FontTransform::Rotate180 => " rotate(180)",
                    FontTransform::Rotate270 => " rotate(-90)",
                };
                let opacity =
                    if color.alpha < 1.0 { format!(" fill-opacity=\"{:.3}\"", color.alpha) } else { String::new() };
                sink.body.push_str(&format!(
                    "<g role=\"img\" aria-label=\"{}\" fill=\"{}\"{opacity} transform=\"translate({} {}){rotation}\">{uses}</g>\n",
                    super::escape_html(text),
                    hex(color),
                    pos.0,
                    pos.1
                ));
                Ok(())
            }
            None => {
                let (w, h) = self.inner.get_size();
                for &(id, x) in &line.glyphs {
                    let glyph = id.with_scale_and_position(line.scale, point(ox + x, oy));
                    let Some(og) = line.font.outline_glyph(glyph) else { continue };
                    let b = og.px_bounds();
                    let mut pixels = Vec::new();
                    og.draw(|gx, gy, cov| pixels.push((b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32, cov)));
                    for (lx, ly, cov) in pixels {
                        if cov <= 0.0 {
                            continue;
                        }
                        let (rx, ry) = trans.transform(lx, ly);
                        let (px, py) = (pos.0 + rx, pos.1 + ry);
                        if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                            let c = BackendColor { alpha: color.alpha * cov.min(1.0) as f64, rgb: color.rgb };
                            self.inner.draw_pixel((px, py), c)?;
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inked pixels of one line of width 3 drawn through the raster wrapper, per pixel of
    /// its length.
    fn ink_per_length(from: BackendCoord, to: BackendCoord) -> f64 {
        use plotters::prelude::*;
        let (w, h) = (200u32, 200u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let mut b = GlyphText::raster(BitMapBackend::with_buffer(&mut buf, (w, h)));
            let style = plotters::style::Color::stroke_width(&BLACK, 3);
            b.draw_path([from, to], &style).unwrap();
            b.present().unwrap();
        }
        let ink = buf.chunks(3).filter(|p| p[0] < 128).count() as f64;
        ink / ((to.0 - from.0) as f64).hypot((to.1 - from.1) as f64)
    }

    /// Regression: PNG lines changed thickness with their slope (the bitmap rasteriser widened
    /// them vertically), while the SVG of the same chart was uniform.
    #[test]
    fn thick_png_lines_are_as_wide_at_any_slope() {
        let flat = ink_per_length((20, 100), (180, 100));
        let steep = ink_per_length((100, 20), (130, 180));
        let diagonal = ink_per_length((20, 20), (180, 180));
        for (name, v) in [("flat", flat), ("steep", steep), ("diagonal", diagonal)] {
            assert!((v - 3.0).abs() < 0.6, "{name}: {v:.2} pixels across, want 3 (a lattice allows ±0.6)");
        }
    }

    #[test]
    fn kerning_and_bearings_follow_the_font() {
        // "T" followed by "r" is a kerned pair in DejaVu Sans: the laid-out width is less than the
        // sum of the advances (plotters' own ab_glyph text dropped bearings: "T rading").
        let l = layout("Tr", 20.0, false);
        let sf = l.font.as_scaled(l.scale);
        let plain = sf.h_advance(sf.glyph_id('T')) + sf.h_advance(sf.glyph_id('r'));
        assert!(l.width < plain, "{} < {plain}", l.width);
        assert!((l.height - 20.0).abs() < 0.5, "a pixel size of 20 spans ascent to descent: {}", l.height);
    }
}
