// Factories of the built-in transforms and predicates, one per Kafka class. `key` selects the
// $Key variant (else $Value). Private to worker/transforms; registered in builtins.cc.
#pragma once

#include <memory>

#include "transforms/transformation.h"

namespace kanal::transforms::internal {

std::unique_ptr<Transformation> make_cast(bool key);
std::unique_ptr<Transformation> make_drop_headers();
std::unique_ptr<Transformation> make_extract_field(bool key);
std::unique_ptr<Transformation> make_filter();
std::unique_ptr<Transformation> make_flatten(bool key);
std::unique_ptr<Transformation> make_header_from(bool key);
std::unique_ptr<Transformation> make_hoist_field(bool key);
std::unique_ptr<Transformation> make_insert_field(bool key);
std::unique_ptr<Transformation> make_insert_header();
std::unique_ptr<Transformation> make_mask_field(bool key);
std::unique_ptr<Transformation> make_regex_router();
std::unique_ptr<Transformation> make_replace_field(bool key);
std::unique_ptr<Transformation> make_set_schema_metadata(bool key);
std::unique_ptr<Transformation> make_timestamp_converter(bool key);
std::unique_ptr<Transformation> make_timestamp_router();
std::unique_ptr<Transformation> make_value_to_key();

std::unique_ptr<Predicate> make_topic_name_matches();
std::unique_ptr<Predicate> make_has_header_key();
std::unique_ptr<Predicate> make_record_is_tombstone();

}  // namespace kanal::transforms::internal
