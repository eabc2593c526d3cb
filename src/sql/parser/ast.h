#pragma once
// The syntax tree the SQL front end produces (parser.h) and the binder consumes.
//
// Shape, in one paragraph: a Script is a list of Statements. A Statement is a tagged struct: `kind`
// says which one of its pointers is set (create_table, create_view, insert, ...). Queries are
// QueryExpr trees (SELECT cores joined by UNION/INTERSECT/EXCEPT, plus WITH, ORDER BY, LIMIT);
// a SELECT core's FROM clause is a tree of FromItems (tables, subqueries, window table functions,
// joins). Expressions are ONE struct, ExprNode, with a kind enum; each kind documents below which
// fields it uses and the rest stay at their defaults. Nothing is resolved against a catalog here:
// names are kept as written (case kept, quoting removed), function names are not looked up.
//
// Ownership: every child is held by std::unique_ptr (or by value), so a tree is move-only; use
// Clone() for a deep copy. Every node carries the 1-based line/column where it starts.
//
// Data types are resolved while parsing (see DataType): TINYINT/SMALLINT -> INT, FLOAT -> DOUBLE,
// CHAR/VARCHAR/STRING -> VARCHAR, DECIMAL default (10, 0), TIMESTAMP default precision 6 (as in
// Flink). ROW<...> stays structured (LogicalType has no row type). TIME, BYTES/BINARY/VARBINARY,
// ARRAY, MAP and MULTISET are rejected by the parser with an Unsupported status.
//
// ToString() on nodes prints canonical SQL that parses back to the same tree: keywords in upper
// case, identifiers backquoted only when needed, every unary/binary operation parenthesised
// ("(a + (b * c))"), so tests can check precedence on strings. A left-deep chain of one operator
// prints flat: "(a OR b OR c)" is ((a OR b) OR c).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "types/logical_type.h"

namespace sluice::sql {

/// 1-based position in the SQL text. Columns count characters (UTF-8 code points), a tab is 1.
struct SourceLocation {
  int line = 1;
  int column = 1;
  /// "line 3, column 17" — the prefix of every parser error message.
  std::string ToString() const;
  bool operator==(const SourceLocation&) const = default;
};

/// One name as written: unquoted (case kept) or backquoted (quotes removed, `` unescaped).
struct Identifier {
  std::string name;
  bool quoted = false;
  SourceLocation location;
};

/// A dotted name: catalog.db.table, t.column, row_column.field, or a function name.
struct QualifiedName {
  std::vector<Identifier> parts;

  bool empty() const { return parts.empty(); }
  /// The last part (table name without catalog/db, column without qualifier).
  const Identifier& last() const { return parts.back(); }
  SourceLocation location() const { return parts.empty() ? SourceLocation{} : parts[0].location; }
  /// Parts joined with '.', each backquoted when it is not a plain identifier: "db.`my table`".
  std::string ToString() const;
};

// ------------------------------------------------------------------------------------------------
// Data types
// ------------------------------------------------------------------------------------------------

struct RowFieldType;

/// A column, CAST or ROW-field type. For scalar types `logical` is the resolved sluice type and
/// `name` the canonical Flink spelling of what was written ("VARCHAR", "TINYINT", "DECIMAL", ...).
/// For ROW<...>/ROW(...) `is_row` is set, `logical` is {kNull} and `fields` holds the fields.
struct DataType {
  LogicalType logical;
  std::string name;
  /// CHAR(n)/VARCHAR(n): n; -1 when not given (STRING, plain VARCHAR).
  int32_t length = -1;
  bool is_row = false;
  std::vector<RowFieldType> fields;  // is_row only
  bool not_null = false;             // `NOT NULL` after the type
  SourceLocation location;

  DataType Clone() const;
  /// "VARCHAR(10)", "DECIMAL(10, 2)", "TIMESTAMP(3)", "ROW<`a` INT, `b` STRING> NOT NULL".
  std::string ToString() const;
};

struct RowFieldType {
  Identifier name;
  DataType type;
  std::string comment;  // empty when none
};

// ------------------------------------------------------------------------------------------------
// Expressions
// ------------------------------------------------------------------------------------------------

struct ExprNode;
struct QueryExpr;
using ExprNodePtr = std::unique_ptr<ExprNode>;
using QueryExprPtr = std::unique_ptr<QueryExpr>;

enum class ExprNodeKind : uint8_t {
  kLiteral,         // literal_kind, value (+ interval for INTERVAL literals)
  kColumnRef,       // name: a / t.a / db.t.a / row_col.field (binder decides what the parts are)
  kStar,            // `*` or `t.*` (name = qualifier, empty for `*`); select lists only
  kUnary,           // op (kNot, kNegate, kPlus), args[0]
  kBinary,          // op, args[0] op args[1]
  kFunctionCall,    // name, args, distinct, star_argument, time_unit, trim_mode, filter, over
  kCast,            // args[0] AS cast_type; try_cast for TRY_CAST
  kCase,            // case_operand (null for searched CASE), when_clauses, else_result (or null)
  kBetween,         // args[0] [NOT] BETWEEN args[1] AND args[2]; negated
  kInList,          // args[0] [NOT] IN (args[1..]); negated
  kInSubquery,      // args[0] [NOT] IN (subquery); negated
  kLike,            // args[0] [NOT] LIKE args[1] [ESCAPE args[2]]; negated
  kSimilarTo,       // args[0] [NOT] SIMILAR TO args[1] [ESCAPE args[2]]; negated
  kIsNull,          // args[0] IS [NOT] NULL; negated
  kIsTrue,          // args[0] IS [NOT] TRUE; negated
  kIsFalse,         // args[0] IS [NOT] FALSE; negated
  kIsUnknown,       // args[0] IS [NOT] UNKNOWN; negated
  kIsDistinctFrom,  // args[0] IS [NOT] DISTINCT FROM args[1]; negated
  kScalarSubquery,  // (subquery)
  kExists,          // EXISTS (subquery)
};

enum class ExprOp : uint8_t {
  kNone,
  // Unary.
  kNot,
  kNegate,  // -x
  kPlus,    // +x
  // Binary, loosest first.
  kOr,
  kAnd,
  kEq,
  kNotEq,  // <> and !=
  kLt,
  kLtEq,
  kGt,
  kGtEq,
  kConcat,  // ||
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,  // %
};

enum class LiteralKind : uint8_t {
  kNull,
  kBoolean,    // value "TRUE" / "FALSE"
  kInteger,    // digits only, as written ("42"); no sign (a leading - is a kNegate node)
  kDecimal,    // exact numeric with a point: "0.908", "1.", ".5"
  kDouble,     // approximate numeric with an exponent: "1e3", "2.5E-4"
  kString,     // value = content with '' unescaped
  kDate,       // DATE '2024-01-01': value = the quoted text
  kTime,       // TIME '12:00:00'
  kTimestamp,  // TIMESTAMP '2024-01-01 00:00:00'
  kInterval,   // INTERVAL '1:30' MINUTE TO SECOND: value = quoted text ("1:30"), plus `interval`
};

/// Units of INTERVAL qualifiers, EXTRACT, FLOOR/CEIL ... TO, TIMESTAMPADD/TIMESTAMPDIFF.
enum class TimeUnit : uint8_t {
  kNone,
  kYear,
  kQuarter,
  kMonth,
  kWeek,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kNanosecond,
  kDecade,
  kCentury,
  kMillennium,
  kDow,
  kDoy,
  kIsoDow,
  kIsoYear,
  kEpoch,
};

/// "YEAR", "MINUTE", "DOW", ...
std::string_view TimeUnitName(TimeUnit unit);

/// INTERVAL '...' <start> [(precision)] [TO <end> [(fractional precision)]].
/// INTERVAL '10' SECOND(3): start = end = kSecond, leading_precision 3.
/// INTERVAL '1:30' MINUTE TO SECOND: start kMinute, end kSecond.
struct IntervalQualifier {
  TimeUnit start = TimeUnit::kNone;
  TimeUnit end = TimeUnit::kNone;  // == start when there is no TO
  int leading_precision = -1;      // -1: not written
  int fractional_precision = -1;   // SECOND(p, f) or ... TO SECOND(f); -1: not written
  /// Months-based (YEAR, YEAR TO MONTH, MONTH) rather than time-based.
  bool IsYearMonth() const;
  std::string ToString() const;  // "MINUTE TO SECOND", "SECOND(3)"
};

/// TRIM([BOTH|LEADING|TRAILING] [chars] FROM s).
enum class TrimMode : uint8_t { kNone, kBoth, kLeading, kTrailing };

enum class NullOrder : uint8_t { kDefault, kFirst, kLast };

struct OrderByItem {
  ExprNodePtr expr;
  bool descending = false;
  NullOrder nulls = NullOrder::kDefault;
  SourceLocation location;
};

enum class FrameUnit : uint8_t { kRows, kRange };

struct FrameBound {
  enum class Kind : uint8_t {
    kUnboundedPreceding,
    kPreceding,  // offset PRECEDING
    kCurrentRow,
    kFollowing,  // offset FOLLOWING
    kUnboundedFollowing,
  };
  Kind kind = Kind::kCurrentRow;
  ExprNodePtr offset;  // kPreceding / kFollowing: a number or an INTERVAL literal
};

/// ROWS|RANGE BETWEEN start AND end; `ROWS x PRECEDING` alone means end = CURRENT ROW.
struct WindowFrame {
  FrameUnit unit = FrameUnit::kRows;
  FrameBound start;
  FrameBound end;
};

/// OVER (PARTITION BY ... ORDER BY ... [frame]).
struct WindowSpec {
  std::vector<ExprNodePtr> partition_by;
  std::vector<OrderByItem> order_by;
  bool has_frame = false;
  WindowFrame frame;
  SourceLocation location;
};

struct WhenClause {
  ExprNodePtr condition;  // WHEN condition (or value, for CASE x WHEN value)
  ExprNodePtr result;     // THEN result
};

/// One expression node; `kind` says which fields are meaningful (see ExprNodeKind).
///
/// Special call syntaxes become kFunctionCall with an upper-case canonical name and plain args:
///   EXTRACT(unit FROM x)            name EXTRACT, time_unit, args [x]
///   FLOOR(x TO unit) / CEIL(...)    name FLOOR / CEIL, time_unit, args [x]
///                                   (FLOOR(x) / CEILING(x) stay ordinary calls, time_unit kNone)
///   TIMESTAMPADD(unit, n, ts)       name TIMESTAMPADD, time_unit, args [n, ts]
///   TIMESTAMPDIFF(unit, a, b)       name TIMESTAMPDIFF, time_unit, args [a, b]
///   POSITION(a IN b)                name POSITION, args [a, b]
///   SUBSTRING(s FROM a [FOR b])     name SUBSTRING, args [s, a(, b)]  (SUBSTRING(s, a, b) too)
///   TRIM([mode] [chars] FROM s)     name TRIM, trim_mode (kBoth when only FROM is written;
///                                   kNone for the plain TRIM(s) call), args [s(, chars)]
///   CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, CURRENT_TIME, LOCALTIME
///                                   niladic: name in upper case, no args (PROCTIME(),
///                                   CURRENT_ROW_TIMESTAMP(), NOW() are ordinary calls)
///   COUNT(*)                        star_argument = true, args empty
/// Window group functions (TUMBLE(ts, INTERVAL ...), HOP, SESSION, TUMBLE_START, ...) and
/// PROCTIME() are ordinary calls; nothing is special about their names here.
struct ExprNode {
  ExprNodeKind kind = ExprNodeKind::kLiteral;
  SourceLocation location;

  // kLiteral
  LiteralKind literal_kind = LiteralKind::kNull;
  std::string value;
  IntervalQualifier interval;

  // kColumnRef / kStar (qualifier) / kFunctionCall (function name)
  QualifiedName name;

  // kUnary / kBinary
  ExprOp op = ExprOp::kNone;

  std::vector<ExprNodePtr> args;
  bool negated = false;  // NOT BETWEEN / NOT IN / NOT LIKE / IS NOT ...

  // kFunctionCall
  bool distinct = false;       // f(DISTINCT x)
  bool star_argument = false;  // COUNT(*)
  TimeUnit time_unit = TimeUnit::kNone;
  TrimMode trim_mode = TrimMode::kNone;
  ExprNodePtr filter;                // agg(...) FILTER (WHERE filter)
  std::unique_ptr<WindowSpec> over;  // agg(...) OVER (...)

  // kCast
  std::unique_ptr<DataType> cast_type;
  bool try_cast = false;

  // kCase
  ExprNodePtr case_operand;
  std::vector<WhenClause> when_clauses;
  ExprNodePtr else_result;

  // kScalarSubquery / kExists / kInSubquery
  QueryExprPtr subquery;

  ExprNodePtr Clone() const;
  std::string ToString() const;
};

// ------------------------------------------------------------------------------------------------
// Queries
// ------------------------------------------------------------------------------------------------

/// `expr [[AS] alias]`, or a kStar expression (`*`, `t.*`) without alias.
struct SelectItem {
  ExprNodePtr expr;
  Identifier alias;  // alias.name empty when none
  bool has_alias() const { return !alias.name.empty(); }
};

enum class JoinKind : uint8_t {
  kInner,  // [INNER] JOIN
  kLeft,   // LEFT [OUTER] JOIN
  kRight,  // RIGHT [OUTER] JOIN
  kFull,   // FULL [OUTER] JOIN
  kCross,  // CROSS JOIN
  kComma,  // FROM a, b (a cross join written with a comma)
};

/// One argument of a table-valued function in FROM TABLE(fn(...)).
struct TableFunctionArg {
  enum class Kind : uint8_t {
    kTable,       // TABLE t [PARTITION BY k, ...]: table, partition_by
    kDescriptor,  // DESCRIPTOR(col, ...): descriptor
    kExpr,        // any expression (INTERVAL '1' MINUTE, 10, ...): expr
  };
  Kind kind = Kind::kExpr;
  Identifier name;  // named argument (`SIZE => ...`): DATA, TIMECOL, SIZE, ...; empty otherwise
  QualifiedName table;
  std::vector<ExprNodePtr> partition_by;
  std::vector<Identifier> descriptor;
  ExprNodePtr expr;
  SourceLocation location;
};

enum class FromKind : uint8_t {
  kTable,          // name [FOR SYSTEM_TIME AS OF system_time]
  kSubquery,       // (subquery)
  kTableFunction,  // TABLE(function_name(function_args)) — TUMBLE, HOP, CUMULATE, SESSION, ...
  kJoin,           // left join_kind right [ON condition | USING (using_columns)]
};

struct FromItem {
  FromKind kind = FromKind::kTable;
  SourceLocation location;

  // kTable
  QualifiedName name;
  ExprNodePtr system_time;  // FOR SYSTEM_TIME AS OF expr (temporal join), or null

  // kSubquery
  QueryExprPtr subquery;

  // kTableFunction
  QualifiedName function_name;
  std::vector<TableFunctionArg> function_args;

  // kTable / kSubquery / kTableFunction: [AS] alias [(column, ...)]
  Identifier alias;  // alias.name empty when none
  std::vector<Identifier> column_aliases;

  // kJoin
  JoinKind join_kind = JoinKind::kInner;
  std::unique_ptr<FromItem> left;
  std::unique_ptr<FromItem> right;
  ExprNodePtr condition;  // ON condition, or null (CROSS, comma, USING)
  std::vector<Identifier> using_columns;

  bool has_alias() const { return !alias.name.empty(); }
  std::unique_ptr<FromItem> Clone() const;
  std::string ToString() const;
};

/// SELECT [DISTINCT] items [FROM from] [WHERE] [GROUP BY] [HAVING].
struct SelectCore {
  bool distinct = false;
  std::vector<SelectItem> items;
  std::unique_ptr<FromItem> from;  // null for `SELECT 1`
  ExprNodePtr where;
  std::vector<ExprNodePtr> group_by;
  ExprNodePtr having;
  SourceLocation location;
};

struct CommonTableExpr {
  Identifier name;
  std::vector<Identifier> columns;  // WITH name (a, b) AS (...); empty when not written
  QueryExprPtr query;
};

enum class SetOpKind : uint8_t { kUnion, kIntersect, kExcept };

enum class QueryKind : uint8_t {
  kSelect,  // select
  kSetOp,   // left set_op [ALL] right
  kValues,  // VALUES (row), (row), ...
};

/// A full query: [WITH ...] body [ORDER BY ...] [LIMIT n] [OFFSET m].
/// Parenthesised queries nest: `(SELECT ... LIMIT 1) UNION ALL SELECT ...` is a kSetOp whose left
/// child carries its own LIMIT. `with` is only set on the QueryExpr the WITH was written on.
struct QueryExpr {
  QueryKind kind = QueryKind::kSelect;
  SourceLocation location;
  std::vector<CommonTableExpr> with;

  std::unique_ptr<SelectCore> select;  // kSelect

  SetOpKind set_op = SetOpKind::kUnion;  // kSetOp
  bool set_all = false;                  // UNION ALL (false: UNION / UNION DISTINCT)
  QueryExprPtr left;
  QueryExprPtr right;

  std::vector<std::vector<ExprNodePtr>> values;  // kValues: rows

  std::vector<OrderByItem> order_by;
  ExprNodePtr limit;   // LIMIT n / FETCH FIRST n ROWS ONLY, or null
  ExprNodePtr offset;  // OFFSET m [ROWS], or null

  QueryExprPtr Clone() const;
  std::string ToString() const;
};

// ------------------------------------------------------------------------------------------------
// Statements
// ------------------------------------------------------------------------------------------------

/// One element of CREATE TABLE's column list.
struct ColumnSpec {
  enum class Kind : uint8_t {
    kPhysical,  // name TYPE [NOT NULL] [COMMENT '...']
    kComputed,  // name AS expr [COMMENT '...']
    kMetadata,  // name TYPE METADATA [FROM 'key'] [VIRTUAL]
  };
  Kind kind = Kind::kPhysical;
  Identifier name;
  DataType type;             // kPhysical / kMetadata (type.not_null for NOT NULL)
  ExprNodePtr expr;          // kComputed
  std::string metadata_key;  // kMetadata: FROM 'key'; empty means "same as the column name"
  bool is_virtual = false;   // kMetadata: VIRTUAL (not written by sinks)
  std::string comment;       // empty when none
  SourceLocation location;
};

/// WATERMARK FOR column AS expr. The column may be a nested path (`a.b`) in Flink; kept whole.
struct WatermarkSpec {
  QualifiedName column;
  ExprNodePtr expr;
  SourceLocation location;
};

/// PRIMARY KEY (a, b) NOT ENFORCED, table-level or inline on a column (`id INT PRIMARY KEY NOT
/// ENFORCED` is stored here as a one-column key), optionally named with CONSTRAINT name.
struct PrimaryKeySpec {
  Identifier constraint_name;  // empty when none
  std::vector<Identifier> columns;
  bool enforced = false;  // always false after a successful parse (Flink requires NOT ENFORCED)
  SourceLocation location;
};

/// 'key' = 'value' in WITH (...) and SET. Keys keep their spelling; duplicates are kept in order
/// (the binder reports them).
struct PropertySpec {
  std::string key;
  std::string value;
  SourceLocation location;
};

struct CreateTableStmt {
  QualifiedName name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<ColumnSpec> columns;
  bool has_watermark = false;
  WatermarkSpec watermark;
  bool has_primary_key = false;
  PrimaryKeySpec primary_key;
  std::string comment;                     // COMMENT '...' after the column list; empty if none
  std::vector<Identifier> partitioned_by;  // PARTITIONED BY (a, b)
  std::vector<PropertySpec> options;       // WITH (...)
};

struct CreateViewStmt {
  QualifiedName name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<Identifier> columns;  // CREATE VIEW v (a, b) AS ...; empty when not written
  std::string comment;              // COMMENT '...' before AS; empty if none
  QueryExprPtr query;
};

/// CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'class'
///   [LANGUAGE JAVA|SCALA|PYTHON].
struct CreateFunctionStmt {
  QualifiedName name;
  bool temporary = false;
  bool system = false;
  bool if_not_exists = false;
  std::string class_name;
  std::string language;  // upper case; empty when not written
};

/// DROP [TEMPORARY] TABLE|VIEW|FUNCTION [IF EXISTS] name.
struct DropStmt {
  enum class Object : uint8_t { kTable, kView, kFunction };
  Object object = Object::kTable;
  QualifiedName name;
  bool temporary = false;
  bool if_exists = false;
};

/// SET ['key' = 'value'] (unquoted `SET a.b = c` too) / RESET ['key'].
/// SET or RESET alone (no key) means "list all" / "reset all": has_key is false.
struct SetStmt {
  bool has_key = false;
  std::string key;
  std::string value;  // SET only
};

/// INSERT INTO|OVERWRITE table [(col, ...)] query.
struct InsertStmt {
  QualifiedName table;
  bool overwrite = false;
  std::vector<Identifier> columns;  // empty when not written
  QueryExprPtr query;
  SourceLocation location;
};

/// EXECUTE STATEMENT SET BEGIN insert; ... END, or the older BEGIN STATEMENT SET; insert; ... END.
struct StatementSetStmt {
  std::vector<InsertStmt> inserts;
  bool legacy_syntax = false;  // BEGIN STATEMENT SET; ... END;
};

enum class StatementKind : uint8_t {
  kCreateTable,
  kCreateView,
  kCreateFunction,
  kDrop,
  kSet,
  kReset,
  kInsert,
  kStatementSet,
  kQuery,
};

/// One statement; exactly the pointer matching `kind` is set (kSet and kReset share `set`).
struct Statement {
  StatementKind kind = StatementKind::kQuery;
  SourceLocation location;
  /// The statement's own SQL text as written (without the trailing ';'), for messages/EXPLAIN.
  std::string text;

  std::unique_ptr<CreateTableStmt> create_table;
  std::unique_ptr<CreateViewStmt> create_view;
  std::unique_ptr<CreateFunctionStmt> create_function;
  std::unique_ptr<DropStmt> drop;
  std::unique_ptr<SetStmt> set;
  std::unique_ptr<InsertStmt> insert;
  std::unique_ptr<StatementSetStmt> statement_set;
  QueryExprPtr query;

  Statement Clone() const;
  /// Canonical SQL of the statement (no trailing ';').
  std::string ToString() const;
};

struct Script {
  std::vector<Statement> statements;
  /// Every statement's ToString() followed by ";\n".
  std::string ToString() const;
};

/// "CREATE TABLE", "INSERT", "SELECT", ... for messages.
std::string_view StatementKindName(StatementKind kind);
/// "+", "AND", "<>", "||", "NOT", "-" (negate) ...
std::string_view ExprOpName(ExprOp op);

}  // namespace sluice::sql
