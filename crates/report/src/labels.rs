//! Placing text labels on a drawing so that none is drawn over another,
//! over a symbol, or cut at the frame: each label tries the spots round its
//! point in a fixed order and takes the first that is free; a label with no
//! free spot is left out (its mark keeps its hover title).
//!
//! Text is measured by an estimate, not by the browser: a character of the
//! sans-serif faces browsers pick is at most about 0.6 em wide on average
//! (bold), so boxes err wide. The report's browser test measures the
//! rendered boxes and holds this estimate to them.

/// A box in pixels: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    /// The square of half-side `half` centred on (x, y): a symbol's room.
    pub fn around(x: f64, y: f64, half: f64) -> Rect {
        Rect { left: x - half, top: y - half, right: x + half, bottom: y + half }
    }

    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right && other.left < self.right && self.top < other.bottom && other.top < self.bottom
    }

    fn within(&self, frame: &Rect) -> bool {
        self.left >= frame.left && self.right <= frame.right && self.top >= frame.top && self.bottom <= frame.bottom
    }
}

use crate::svg::{escape, px};

/// The estimated width of `text` in a sans-serif face `font_px` high.
pub fn text_width_px(text: &str, font_px: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            ' ' | '.' | ',' | '(' | ')' | 'i' | 'l' | 'j' | 'I' | '\'' | '|' | ':' | ';' => 0.34,
            'm' | 'w' | 'M' | 'W' => 0.92,
            c if c.is_uppercase() => 0.74,
            _ => 0.62,
        })
        .sum();
    ems * font_px
}

/// A label placed: its text's anchor point (the baseline's start, middle or
/// end, as `anchor` says) and the box it takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub anchor: &'static str,
    pub rect: Rect,
}

impl Placed {
    /// The label as an SVG `<text>` of `class` at its spot, with a hover
    /// `title` if given (both escaped here).
    pub fn svg_text(&self, class: &str, text: &str, title: Option<&str>) -> String {
        let title = title.map(|t| format!("<title>{}</title>", escape(t))).unwrap_or_default();
        format!(
            r##"<text x="{}" y="{}" text-anchor="{}" class="{class}">{}{title}</text>"##,
            px(self.x),
            px(self.y),
            self.anchor,
            escape(text)
        )
    }
}

/// The labels and symbols of one drawing, and its frame.
#[derive(Clone, Debug)]
pub struct LabelLayout {
    frame: Rect,
    taken: Vec<Rect>,
}

/// How far a label stands off its point, in pixels.
const GAP_PX: f64 = 7.0;
/// How many lines above or below its point a label may go.
const FARTHEST_ROWS: usize = 3;

impl LabelLayout {
    /// A drawing `width_px` × `height_px`; labels keep 2 px inside it.
    pub fn new(width_px: f64, height_px: f64) -> LabelLayout {
        LabelLayout {
            frame: Rect { left: 2.0, top: 2.0, right: width_px - 2.0, bottom: height_px - 2.0 },
            taken: Vec::new(),
        }
    }

    /// Room no label may take: a symbol, a legend, a scale bar.
    pub fn block(&mut self, rect: Rect) {
        self.taken.push(rect);
    }

    /// A label for the point (x, y) whose symbol reaches `half_px` from it:
    /// right of it, left, then above and below (right, left, centred),
    /// the first spot free and inside the frame.
    pub fn place_beside(&mut self, x: f64, y: f64, half_px: f64, text: &str, font_px: f64) -> Option<Placed> {
        let off = half_px + GAP_PX / 2.0;
        let above = y - off - 3.0;
        let below = y + off + font_px;
        let middle = y + font_px * 0.35;
        let mut spots = vec![
            (x + off, middle, "start"),
            (x - off, middle, "end"),
            (x + off * 0.6, above, "start"),
            (x + off * 0.6, below, "start"),
            (x - off * 0.6, above, "end"),
            (x - off * 0.6, below, "end"),
            (x, above, "middle"),
            (x, below, "middle"),
        ];
        // Then farther out, a line at a time: crowded points still get
        // their labels, a little off.
        let line = font_px * 1.3;
        for rows in 1..=FARTHEST_ROWS {
            let shift = rows as f64 * line;
            for (dx, anchor) in [(off, "start"), (-off, "end")] {
                spots.push((x + dx, middle - shift, anchor));
                spots.push((x + dx, middle + shift, anchor));
            }
        }
        self.place_at(&spots, text, font_px)
    }

    /// The first of `spots` (anchor point, anchor) where `text` fits.
    pub fn place_at(&mut self, spots: &[(f64, f64, &'static str)], text: &str, font_px: f64) -> Option<Placed> {
        self.place_width_at(spots, text_width_px(text, font_px), font_px)
    }

    /// The first of `spots` where a text `width` pixels wide fits.
    pub fn place_width_at(&mut self, spots: &[(f64, f64, &'static str)], width: f64, font_px: f64) -> Option<Placed> {
        let placed = spots.iter().find_map(|&(x, y, anchor)| {
            let left = match anchor {
                "start" => x,
                "end" => x - width,
                _ => x - width / 2.0,
            };
            // From the ascenders' top to the descenders' foot.
            let rect = Rect { left, top: y - font_px * 0.95, right: left + width, bottom: y + font_px * 0.3 };
            (rect.within(&self.frame) && !self.taken.iter().any(|t| t.overlaps(&rect))).then_some(Placed {
                x,
                y,
                anchor,
                rect,
            })
        })?;
        self.taken.push(placed.rect);
        Some(placed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_goes_right_of_its_point_when_free() {
        let mut layout = LabelLayout::new(500.0, 300.0);
        let placed = layout.place_beside(100.0, 100.0, 5.0, "Najin", 12.0).unwrap();
        assert_eq!(placed.anchor, "start");
        assert!(placed.rect.left > 105.0 && placed.rect.top < 100.0 && placed.rect.bottom > 100.0);
    }

    #[test]
    fn labels_give_way_to_symbols_to_each_other_and_to_the_frame() {
        let mut layout = LabelLayout::new(500.0, 300.0);
        // A symbol right of the point: the label goes left.
        layout.block(Rect::around(130.0, 100.0, 7.0));
        let first = layout.place_beside(100.0, 100.0, 5.0, "Khasan", 12.0).unwrap();
        assert_eq!(first.anchor, "end");
        // A second point just below: neither right nor left of it overlaps the first?
        let second = layout.place_beside(100.0, 104.0, 5.0, "Tumangang", 12.0).unwrap();
        assert!(!second.rect.overlaps(&first.rect));
        // At the right edge: the label turns left rather than be cut.
        let edge = layout.place_beside(495.0, 200.0, 5.0, "Vostochny anchorage", 12.0).unwrap();
        assert!(edge.rect.right <= 498.0 && edge.anchor == "end");
        // Nowhere free: no label.
        let mut full = LabelLayout::new(500.0, 300.0);
        full.block(Rect { left: 0.0, top: 0.0, right: 500.0, bottom: 300.0 });
        assert_eq!(full.place_beside(100.0, 100.0, 5.0, "Dunay", 12.0), None);
    }

    #[test]
    fn capitals_and_wide_letters_measure_wider() {
        assert!(text_width_px("MMMM", 12.0) > text_width_px("nnnn", 12.0));
        assert!(text_width_px("iiii", 12.0) < text_width_px("nnnn", 12.0));
    }
}
