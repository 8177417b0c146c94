// Every rule entry as a list of (field, value) pairs, with references spelled as ids: the
// one description that both the diff of two rule sets and the merge of a new set into an
// engine's running set compare, so "changed" means the same thing in both.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "workflow/rules.hpp"

namespace workflow::detail {

using FieldList = std::vector<std::pair<std::string, std::string>>;

FieldList fields_of(const RuleSet& rules, const Office& o);
FieldList fields_of(const RuleSet& rules, const Department& d);
FieldList fields_of(const RuleSet& rules, const Staff& s);
FieldList fields_of(const RuleSet& rules, const Post& p);
FieldList fields_of(const RuleSet& rules, const Matter& m);
FieldList fields_of(const RuleSet& rules, const Delegation& d);
FieldList fields_of(const RuleSet& rules, const Bundle& b);
FieldList fields_of(const Policy& p);

// "field: old -> new; ..." for the fields that differ ("" if none).
std::string changed_fields(const FieldList& from, const FieldList& to);

}  // namespace workflow::detail
