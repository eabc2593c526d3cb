#include "connectors/datagen/datagen_connector.h"

#include "connectors/datagen/datagen_options.h"
#include "connectors/datagen/datagen_source.h"

namespace sluice {

namespace {

Result<std::unique_ptr<Source>> MakeDatagenSource(const TableContext& context) {
  SLUICE_ASSIGN_OR_RETURN(DatagenConfig config,
                          ParseDatagenConfig(context.physical_schema, context.table->options));
  TimeZone zone = context.session ? context.session->LocalTimeZone() : TimeZone::Utc();
  return std::unique_ptr<Source>(
      std::make_unique<DatagenSource>(context.physical_schema, std::move(config), zone));
}

}  // namespace

const ConnectorSpec kDatagenConnector = {
    .name = "datagen",
    .description = "Generated rows: random values or sequences (Flink's datagen).",
    .options =
        {
            {"rows-per-second", "10000", "Rows per second over all splits; 'unlimited' or -1."},
            {"number-of-rows", "", "Total rows; unbounded when not set."},
            {"sluice.seed", "0", "Seed of every random stream."},
            {"fields.#.kind", "random", "'random' or 'sequence'."},
            {"fields.#.min", "", "Smallest random value."},
            {"fields.#.max", "", "Largest random value."},
            {"fields.#.max-past", "0", "Random timestamps reach this far into the past."},
            {"fields.#.length", "100", "Length of random strings."},
            {"fields.#.var-len", "false", "Random strings of length 1..length."},
            {"fields.#.start", "", "First value of a sequence."},
            {"fields.#.end", "", "Last value of a sequence."},
            {"fields.#.null-rate", "0", "Share of NULL values."},
        },
    .make_source = MakeDatagenSource,
};

}  // namespace sluice
