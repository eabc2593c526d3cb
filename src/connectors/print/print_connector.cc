#include "connectors/print/print_connector.h"

#include "connectors/print/print_sink.h"
#include "formats/option_reader.h"

namespace sluice {

namespace {

Result<std::unique_ptr<Sink>> MakePrintSink(const TableContext& context) {
  OptionReader reader(context.table->options);
  SLUICE_ASSIGN_OR_RETURN(bool standard_error, reader.Bool("standard-error", false));
  return std::unique_ptr<Sink>(std::make_unique<PrintSink>(reader.String("print-identifier", ""),
                                                           standard_error ? stderr : stdout));
}

}  // namespace

const ConnectorSpec kPrintConnector = {
    .name = "print",
    .description = "Prints every row (with its change kind) to standard output.",
    .options =
        {
            {"print-identifier", "", "Prefix of every printed line."},
            {"standard-error", "false", "Print to standard error instead of standard output."},
        },
    .make_sink = MakePrintSink,
};

}  // namespace sluice
