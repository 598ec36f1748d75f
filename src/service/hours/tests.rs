use super::*;

#[test]
fn csv_fields_are_quoted_and_defused() {
    assert_eq!(csv_field("plain", true), "plain");
    assert_eq!(csv_field("a, \"b\"", true), "\"a, \"\"b\"\"\"");
    assert_eq!(csv_field("=SUM(A1)", true), "'=SUM(A1)");
    assert_eq!(csv_field("two\nlines", true), "\"two\nlines\"");
}
