//! Keywords that narrow values without shaping them, and schemas made only of such
//! keywords: what `allOf` members, union siblings and a `not` beside a `type` add to a
//! schema's Rust type (nothing), so they never push it to `serde_json::Value`.
//!
//! Keywords of another type (`minimum` on a string) are dropped earlier, by
//! `normalize.rs`. What openapiv3 still leaves untyped (`SchemaKind::Any`) beside a
//! `type` is a `not`; [`declared_type`] gives such a schema back its declared type.

use openapiv3::{
    AnySchema, ArrayType, BooleanType, IntegerType, NumberType, ObjectType, ReferenceOr, Schema,
    SchemaKind, StringType, Type,
};

/// The typed form of `type: T` beside keywords openapiv3 does not expect with it: a
/// `not`, which only excludes some values of `T` (`not: {enum: [email]}`) and is, like
/// `pattern` or `maxLength`, a check the Rust type does not make, or keywords of another
/// type, which constrain nothing (normalized specs have none left). `None` when the
/// schema also composes (`oneOf`, `allOf`, ...) or lists `enum` values that are not of
/// its type (a mistake a Rust type cannot guess the intent of).
pub(crate) fn declared_type(any: &AnySchema) -> Option<SchemaKind> {
    if !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() {
        return None;
    }
    let ty = match any.typ.as_deref()? {
        "string" => Type::String(StringType {
            format: any.format.clone().into(),
            pattern: any.pattern.clone(),
            enumeration: enum_of(&any.enumeration, |v| v.as_str().map(str::to_string))?,
            min_length: any.min_length,
            max_length: any.max_length,
        }),
        "integer" => Type::Integer(IntegerType {
            format: any.format.clone().into(),
            multiple_of: any.multiple_of.and_then(exact_i64),
            exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
            exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            // An integer is at least 0.5 exactly when it is at least 1.
            minimum: any.minimum.map(f64::ceil).and_then(exact_i64),
            maximum: any.maximum.map(f64::floor).and_then(exact_i64),
            enumeration: enum_of(&any.enumeration, serde_json::Value::as_i64)?,
        }),
        "number" => Type::Number(NumberType {
            format: any.format.clone().into(),
            multiple_of: any.multiple_of,
            exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
            exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            minimum: any.minimum,
            maximum: any.maximum,
            enumeration: enum_of(&any.enumeration, serde_json::Value::as_f64)?,
        }),
        "boolean" => Type::Boolean(BooleanType {
            enumeration: enum_of(&any.enumeration, serde_json::Value::as_bool)?,
        }),
        "array" if any.enumeration.is_empty() => Type::Array(ArrayType {
            items: any.items.clone(),
            min_items: any.min_items,
            max_items: any.max_items,
            unique_items: any.unique_items.unwrap_or(false),
        }),
        "object" if any.enumeration.is_empty() => Type::Object(ObjectType {
            properties: any.properties.clone(),
            required: any.required.clone(),
            additional_properties: any.additional_properties.clone(),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
        }),
        _ => return None,
    };
    Some(SchemaKind::Type(ty))
}

/// The `enum` values of one type (`null` as `None`), or `None` when a value is of
/// another type.
fn enum_of<T>(
    values: &[serde_json::Value],
    read: impl Fn(&serde_json::Value) -> Option<T>,
) -> Option<Vec<Option<T>>> {
    values
        .iter()
        .map(|value| match value {
            serde_json::Value::Null => Some(None),
            other => read(other).map(Some),
        })
        .collect()
}

/// `value` as an `i64` when it is a whole number in range; a bound that is not stays
/// unenforced rather than wrong.
fn exact_i64(value: f64) -> Option<i64> {
    // `i64::MAX as f64` rounds up to 2^63, which is already out of range.
    let in_range = value >= i64::MIN as f64 && value < i64::MAX as f64;
    (value.fract() == 0.0 && in_range).then_some(value as i64)
}

/// A schema that only narrows values (`required`, bounds, lengths, patterns, counts) and
/// declares no type, properties, items, values or format of its own; or a `oneOf`/`anyOf`
/// of such schemas (`anyOf: [{required: [a]}, {required: [b]}]`: at least one of two
/// properties). As an `allOf` member it changes no Rust type: the fields it requires
/// conditionally stay optional.
pub(super) fn only_constrains(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(schema) => schema_only_constrains(schema),
        ReferenceOr::Reference { .. } => false,
    }
}

/// [`only_constrains`] for a schema that is not a reference.
pub(super) fn schema_only_constrains(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
            !members.is_empty() && members.iter().all(only_constrains)
        }
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.format.is_none()
                && any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.not.is_none()
        }
        _ => false,
    }
}

/// `oneOf`/`anyOf` beside keywords that add nothing to its type: `type: object`, a
/// `required` its members declare, bounds. The union alone is the type.
pub(super) fn union_with_constraints(any: &AnySchema) -> Option<(&[ReferenceOr<Schema>], &str)> {
    let (members, keyword) = match (any.one_of.is_empty(), any.any_of.is_empty()) {
        (false, true) => (&any.one_of, "oneOf"),
        (true, false) => (&any.any_of, "anyOf"),
        _ => return None,
    };
    let shapes_nothing_else = any.typ.as_deref().is_none_or(|t| t == "object")
        && any.format.is_none()
        && any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.all_of.is_empty()
        && any.not.is_none();
    shapes_nothing_else.then_some((members.as_slice(), keyword))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(json: serde_json::Value) -> AnySchema {
        match serde_json::from_value::<Schema>(json)
            .expect("a schema")
            .schema_kind
        {
            SchemaKind::Any(any) => any,
            other => panic!("openapiv3 typed it: {other:?}"),
        }
    }

    #[test]
    fn keywords_of_another_type_are_dropped_and_the_declared_type_kept() {
        let kind = declared_type(&any(
            serde_json::json!({"type": "string", "format": "uuid", "minimum": 1}),
        ));
        let Some(SchemaKind::Type(Type::String(string))) = kind else {
            panic!("not a string: {kind:?}");
        };
        assert_eq!(string.format, Some("uuid".to_string()).into());
        let kind = declared_type(&any(
            serde_json::json!({"type": "integer", "minimum": 0.5, "maximum": 9.5}),
        ));
        let Some(SchemaKind::Type(Type::Integer(integer))) = kind else {
            panic!("not an integer: {kind:?}");
        };
        assert_eq!((integer.minimum, integer.maximum), (Some(1), Some(9)));
    }

    #[test]
    fn enum_values_of_another_type_keep_the_schema_untyped() {
        assert!(
            declared_type(&any(serde_json::json!({"type": "string", "enum": [1, 2]}))).is_none()
        );
        assert!(declared_type(&any(
            serde_json::json!({"not": {"enum": ["a"]}, "minimum": 1})
        ))
        .is_none());
        assert!(declared_type(&any(
            serde_json::json!({"type": "string", "minimum": 1, "oneOf": [{"type": "string"}]})
        ))
        .is_none());
    }

    #[test]
    fn constraint_only_members_are_recognized() {
        let schema = |json| serde_json::from_value::<ReferenceOr<Schema>>(json).expect("a schema");
        assert!(only_constrains(&schema(
            serde_json::json!({"required": ["a"]})
        )));
        assert!(only_constrains(&schema(
            serde_json::json!({"maxLength": 16})
        )));
        assert!(only_constrains(&schema(serde_json::json!(
            {"anyOf": [{"title": "A", "required": ["a"]}, {"required": ["b"]}]}
        ))));
        assert!(!only_constrains(&schema(
            serde_json::json!({"format": "date-time"})
        )));
        assert!(!only_constrains(&schema(
            serde_json::json!({"type": "string"})
        )));
        assert!(!only_constrains(&schema(
            serde_json::json!({"$ref": "#/components/schemas/A"})
        )));
        assert!(!only_constrains(&schema(
            serde_json::json!({"properties": {"a": {}}})
        )));
    }
}
