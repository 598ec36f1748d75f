//! Small charts drawn on the server as SVG, readable without JavaScript: columns (hours per
//! month) and bars (hours per category or per volunteer). Each chart has a title for screen
//! readers, and the page shows the same figures in a table next to it.

use rust_decimal::{prelude::ToPrimitive, Decimal};

use crate::service::text::escape_html as esc;

/// One mark of a chart: its label, its value, and the value as shown ("2 h 30").
pub struct Mark {
    pub label: String,
    pub value: Decimal,
    pub shown: String,
}

fn ratio(value: &Decimal, max: &Decimal) -> f64 {
    if max.is_zero() {
        return 0.0;
    }
    (value / max).to_f64().unwrap_or(0.0).clamp(0.0, 1.0)
}

/// Vertical columns, one per mark (months of a year), with the value above each column.
pub fn columns(title: &str, marks: &[Mark]) -> String {
    // Narrow, so that the text stays readable once a phone shrinks the drawing to its width.
    const W: f64 = 400.0;
    const H: f64 = 220.0;
    const TOP: f64 = 24.0;
    const BOTTOM: f64 = 28.0;
    let max = marks.iter().map(|m| m.value).max().unwrap_or_default();
    let n = marks.len().max(1) as f64;
    let step = W / n;
    let width = (step * 0.7).max(4.0);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        esc(title),
        esc(title)
    );
    let base = H - BOTTOM;
    svg.push_str(&format!(
        "<line x1=\"0\" y1=\"{base}\" x2=\"{W}\" y2=\"{base}\" class=\"axis\"/>"
    ));
    for (i, m) in marks.iter().enumerate() {
        let h = ratio(&m.value, &max) * (base - TOP);
        let x = step * i as f64 + (step - width) / 2.0;
        let y = base - h;
        let cx = step * i as f64 + step / 2.0;
        svg.push_str(&format!(
            "<g><title>{label} : {shown}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" \
             height=\"{h:.1}\" class=\"bar\"/>",
            label = esc(&m.label),
            shown = esc(&m.shown)
        ));
        if !m.value.is_zero() {
            svg.push_str(&format!(
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"value\">{}</text>",
                y - 6.0,
                esc(&m.shown)
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"label\">{}</text></g>",
            H - 8.0,
            esc(&m.label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars, one per mark, the label above its bar (room for long names on a phone).
pub fn bars(title: &str, marks: &[Mark]) -> String {
    const W: f64 = 400.0;
    const ROW: f64 = 44.0;
    let max = marks.iter().map(|m| m.value).max().unwrap_or_default();
    let h = ROW * marks.len().max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        esc(title),
        esc(title)
    );
    for (i, m) in marks.iter().enumerate() {
        let y = ROW * i as f64;
        let width = ratio(&m.value, &max) * (W - 90.0);
        svg.push_str(&format!(
            "<g><title>{label} : {shown}</title>\
             <text x=\"0\" y=\"{ty:.1}\" class=\"label\">{label}</text>\
             <rect x=\"0\" y=\"{by:.1}\" width=\"{width:.1}\" height=\"18\" class=\"bar\"/>\
             <text x=\"{vx:.1}\" y=\"{vy:.1}\" class=\"value\">{shown}</text></g>",
            label = esc(&m.label),
            shown = esc(&m.shown),
            ty = y + 14.0,
            by = y + 20.0,
            vx = width + 8.0,
            vy = y + 34.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(label: &str, value: i64) -> Mark {
        Mark {
            label: label.into(),
            value: Decimal::from(value),
            shown: format!("{value} h"),
        }
    }

    #[test]
    fn columns_scale_to_the_largest_value_and_escape_text() {
        let svg = columns(
            "Heures <2030>",
            &[mark("janv.", 10), mark("févr.", 5), mark("mars", 0)],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Heures &lt;2030&gt;"));
        // The largest column fills the height between the top margin and the axis (168).
        assert!(svg.contains("height=\"168.0\""), "{svg}");
        assert!(svg.contains("height=\"84.0\""), "{svg}");
        // A zero month has no value label above it, but keeps its name.
        assert_eq!(svg.matches("class=\"value\"").count(), 2);
        assert!(svg.contains(">mars</text>"));
    }

    #[test]
    fn bars_have_one_row_per_mark_and_survive_all_zeros() {
        let svg = bars(
            "Par domaine",
            &[mark("Solidarité & co", 0), mark("Sport", 0)],
        );
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("Solidarité &amp; co"));
        assert!(svg.contains("width=\"0.0\""));
        assert!(svg.contains("viewBox=\"0 0 400 88\""));
    }

    /// The charts' bars take their height from the SVG: no rule of the site's style sheets
    /// (all pages load `style.css`) may size an element of class `bar` (the dashboard's filling
    /// bar once did, and every month showed the same height).
    #[test]
    fn no_style_sheet_sizes_the_charts_bars() {
        for (name, css) in [
            ("style.css", include_str!("../../../static/style.css")),
            (
                "equipment.css",
                include_str!("../../../static/equipment.css"),
            ),
            ("calendar.css", include_str!("../../../static/calendar.css")),
        ] {
            for rule in css.split('}') {
                let selector = rule.split('{').next().unwrap_or_default();
                let names_bar = selector
                    .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
                    .any(|part| part == ".bar" || part.starts_with(".bar."));
                assert!(!names_bar, "{name} styles .bar: {}", selector.trim());
            }
        }
    }
}
