use super::*;

#[test]
fn csv_fields_are_quoted_and_defused() {
    let csv = CsvStyle::CODES;
    assert_eq!(csv.text("plain"), "plain");
    assert_eq!(csv.text("a, \"b\""), "\"a, \"\"b\"\"\"");
    assert_eq!(csv.text("=SUM(A1)"), "'=SUM(A1)");
    assert_eq!(csv.text("two\nlines"), "\"two\nlines\"");
}
