#pragma once
// Operator signatures as JSON, for MANIFEST.json: CanonicalJson (operator_signature.h) writes
// them; SignatureFromJson reads them back. Own small reader: the expr layer links no JSON library
// and only this one shape is needed.

#include <string>
#include <string_view>

#include "common/status.h"
#include "exec/plan/operator_signature.h"

namespace sluice {

/// Parses what CanonicalJson wrote: {"sig_version":1,"kind":"…","state_schema":{…},
/// "semantics":{…},"lineage":{…},"ordinal":0}; part fields are strings or arrays of strings.
/// Whitespace and member order are free. Unknown members or other value types are errors (a
/// newer signature version needs its own reader).
Result<OperatorSignature> SignatureFromJson(std::string_view json);

}  // namespace sluice
