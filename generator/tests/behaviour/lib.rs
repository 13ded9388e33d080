//! Runtime behaviour of generated fixture crates, built and run by `tests/compile.rs` in
//! its nested workspace (the crates only exist there). What the snapshots cannot show:
//! that the emitted serde code decodes and encodes real JSON as the spec means it, and
//! that event streams behave on the wire (`streams.rs`), and that `deepObject` query
//! parameters arrive as a bracket parser reads them (`deep_objects.rs`).

#[cfg(test)]
mod streams;

#[cfg(test)]
mod deep_objects;

#[cfg(test)]
mod unions {
    use fixture_unions::models::{Event, Shape};
    use serde_json::json;

    #[test]
    fn discriminator_mapping_picks_the_variant_including_aliases() {
        let circle: Shape = serde_json::from_value(json!({"kind": "circle", "radius": 1.5}))
            .expect("a circle decodes");
        assert!(matches!(circle, Shape::Circle(c) if c.radius == 1.5));
        // `box` maps to Square too.
        let square: Shape =
            serde_json::from_value(json!({"kind": "box", "side": 2.0})).expect("a box decodes");
        assert!(matches!(square, Shape::Square(_)));
    }

    #[test]
    fn tag_values_without_mapping_come_from_the_members_tag_property() {
        let created: Event = serde_json::from_value(json!({
            "type": "created",
            "shape": {"kind": "square", "side": 1.0}
        }))
        .expect("created decodes");
        assert!(matches!(created, Event::Created(_)));
        let moved: Event = serde_json::from_value(json!({"type": "moved", "to": "x"}))
            .expect("moved decodes as Renamed");
        assert!(matches!(moved, Event::Renamed(_)));
        let deleted: Event = serde_json::from_value(json!({
            "type": "deleted",
            "children": [{"type": "deleted"}]
        }))
        .expect("recursive deleted decodes");
        assert!(
            matches!(deleted, Event::Deleted(d) if d.children.as_ref().map(Vec::len) == Some(1))
        );
    }

    #[test]
    fn unknown_and_missing_tags_are_errors_that_say_so() {
        let unknown = serde_json::from_value::<Shape>(json!({"kind": "hexagon"}))
            .expect_err("an unknown tag is an error");
        assert!(unknown.to_string().contains("hexagon"), "{unknown}");
        let missing = serde_json::from_value::<Shape>(json!({"radius": 1.0}))
            .expect_err("a missing tag is an error");
        assert!(missing.to_string().contains("kind"), "{missing}");
    }

    #[test]
    fn the_named_variant_reports_its_own_error() {
        // A circle without a radius: the error is about the circle's field, not
        // "did not match any variant".
        let error = serde_json::from_value::<Shape>(json!({"kind": "circle"}))
            .expect_err("radius is required");
        assert!(error.to_string().contains("radius"), "{error}");
    }

    #[test]
    fn tagged_unions_serialize_as_the_variant_with_its_tag() {
        let value = json!({"kind": "square", "side": 3.0});
        let shape: Shape = serde_json::from_value(value.clone()).expect("decodes");
        assert_eq!(serde_json::to_value(&shape).expect("encodes"), value);
    }
}

#[cfg(test)]
mod openapi_31 {
    use fixture_openapi_31::models::{Session, SessionRequest};
    use serde_json::json;

    #[test]
    fn nullable_fields_items_and_values_accept_null() {
        let request: SessionRequest = serde_json::from_value(json!({
            "model": "small",
            "seed": null,
            "metadata": null,
            "scores": [1.0, null],
            "labels": {"a": "x", "b": null}
        }))
        .expect("3.1 nullables decode");
        assert_eq!(request.seed, None);
        assert_eq!(request.scores, Some(vec![Some(1.0), None]));
        assert_eq!(
            request.labels.as_ref().and_then(|l| l.get("b")).cloned(),
            Some(None)
        );
    }

    #[test]
    fn const_property_only_accepts_its_value() {
        let session: Session = serde_json::from_value(json!({"object": "session", "id": "s"}))
            .expect("the const value decodes");
        assert_eq!(
            serde_json::to_value(&session).expect("encodes")["object"],
            "session"
        );
        let error = serde_json::from_value::<Session>(json!({"object": "other", "id": "s"}))
            .expect_err("another value is rejected");
        assert!(error.to_string().contains("session"), "{error}");
    }
}
