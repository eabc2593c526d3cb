// sluice produce: the seed's publish_order_event() as a tool. Order events from the orders
// generator (connectors/orders/order_generator.h), encoded with a format's encoder (json or
// avro-confluent, through FormatSpec), keyed by order_id, sent with librdkafka (acks=all,
// idempotent, batched for throughput), optionally paced and bounded by count or time.
// `--raw-path` writes every event sent as a JSON line (the json format's text, as the orders
// connector's 'orders.raw-path') for test oracles.

#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "connectors/datagen/rate_limiter.h"
#include "connectors/orders/order_generator.h"
#include "connectors/orders/orders_options.h"
#include "formats/format.h"
#include "formats/json/json_encoder.h"
#include "runtime/session_config.h"

namespace sluice::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<int> g_stop{0};

void OnStopSignal(int) {
  g_stop.fetch_add(1);
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// 1234567 -> "1,234,567"
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

// The OrderEvent record of the seed's producer: no field is ever null.
Schema OrderEventSchema() {
  return Schema{{{"order_id", LogicalType::Varchar(), false},
                 {"customer_id", LogicalType::Varchar(), false},
                 {"amount", LogicalType::Double(), false},
                 {"status", LogicalType::Varchar(), false},
                 {"timestamp", LogicalType::Bigint(), false}}};
}

// Delivery results, filled by librdkafka's delivery report callback (called from poll()), and
// librdkafka's own log lines: the last warning explains a timeout; printed with --verbose.
struct ClientState {
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t bytes = 0;  // keys + values of delivered messages
  std::string first_error;

  std::mutex log_mutex;  // the log callback runs on librdkafka's threads
  std::string last_log;
  bool print_log = false;
};

void DeliveryReport(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* state = static_cast<ClientState*>(opaque);
  if (message->err) {
    if (state->failed++ == 0) {
      state->first_error = rd_kafka_err2str(message->err);
      if (message->rkt) {
        state->first_error += " (topic '" + std::string(rd_kafka_topic_name(message->rkt)) +
                              "', partition " + std::to_string(message->partition) + ")";
      }
    }
    return;
  }
  ++state->delivered;
  state->bytes += message->len + message->key_len;
}

void LogLine(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
  auto* state = static_cast<ClientState*>(rd_kafka_opaque(rk));
  if (!state) return;
  if (level <= 4) {  // LOG_WARNING and worse
    std::lock_guard<std::mutex> lock(state->log_mutex);
    state->last_log = text;
  }
  if (state->print_log) std::fprintf(stderr, "rdkafka %s: %s\n", facility, text);
}

class Producer {
 public:
  ~Producer() {
    if (topic_) rd_kafka_topic_destroy(topic_);
    if (rk_) rd_kafka_destroy(rk_);
  }

  Status Connect(const ProduceFlags& flags) {
    state_.print_log = flags.verbose;
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char error[512];
    auto set = [&](const std::string& key, const std::string& value) -> Status {
      if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof(error)) !=
          RD_KAFKA_CONF_OK) {
        return Status::InvalidArgument("Kafka property '" + key + "' = '" + value + "': " + error);
      }
      return Status::OK();
    };
    // Throughput: big batches, 50 ms linger; durability: acks=all, idempotent (ordered per
    // partition even when retried). murmur2 partitions keys as Java clients (and Flink) do.
    std::vector<std::pair<std::string, std::string>> properties = {
        {"bootstrap.servers", flags.bootstrap},
        {"acks", "all"},
        {"enable.idempotence", "true"},
        {"linger.ms", "50"},
        {"batch.size", "1000000"},
        {"batch.num.messages", "100000"},
        {"queue.buffering.max.messages", "1000000"},
        {"queue.buffering.max.kbytes", "1048576"},
        {"message.timeout.ms", "60000"},
        {"partitioner", "murmur2_random"},
        {"client.id", "sluice-produce"},
    };
    for (const std::string& property : flags.properties) {
      size_t eq = property.find('=');
      if (eq == std::string::npos || eq == 0) {
        rd_kafka_conf_destroy(conf);
        return Status::InvalidArgument("--property expects KEY=VALUE, got '" + property + "'");
      }
      properties.emplace_back(property.substr(0, eq), property.substr(eq + 1));
    }
    for (const auto& [key, value] : properties) {
      Status status = set(key, value);
      if (!status.ok()) {
        rd_kafka_conf_destroy(conf);
        return status;
      }
    }
    rd_kafka_conf_set_dr_msg_cb(conf, DeliveryReport);
    rd_kafka_conf_set_log_cb(conf, LogLine);
    rd_kafka_conf_set_opaque(conf, &state_);
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
    if (!rk_) {
      rd_kafka_conf_destroy(conf);
      return Status::InvalidArgument(std::string("cannot create a Kafka producer: ") + error);
    }
    // Reach the cluster first: a wrong --bootstrap fails in seconds, not at the message timeout.
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 0, nullptr, &metadata, 10000);
    if (err) {
      return Status::IoError("cannot reach Kafka at " + flags.bootstrap + ": " +
                             rd_kafka_err2str(err) + LastLog());
    }
    rd_kafka_metadata_destroy(metadata);
    return Status::OK();
  }

  // Creates the topic with `partitions` partitions unless it exists.
  Status CreateTopic(const std::string& topic, int partitions, int replication) {
    char error[512];
    rd_kafka_NewTopic_t* new_topic =
        rd_kafka_NewTopic_new(topic.c_str(), partitions, replication, error, sizeof(error));
    if (!new_topic) return Status::InvalidArgument("cannot create topic '" + topic + "': " + error);
    rd_kafka_queue_t* queue = rd_kafka_queue_new(rk_);
    rd_kafka_AdminOptions_t* options =
        rd_kafka_AdminOptions_new(rk_, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_operation_timeout(options, 30000, error, sizeof(error));
    rd_kafka_CreateTopics(rk_, &new_topic, 1, options, queue);
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 60000);
    Status status;
    if (!event) {
      status = Status::IoError("timed out creating topic '" + topic + "'" + LastLog());
    } else if (rd_kafka_event_error(event)) {
      status = Status::IoError("cannot create topic '" + topic +
                               "': " + rd_kafka_event_error_string(event));
    } else {
      const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event);
      size_t count = 0;
      const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(result, &count);
      for (size_t i = 0; i < count; ++i) {
        rd_kafka_resp_err_t err = rd_kafka_topic_result_error(topics[i]);
        if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
          existed_ = true;
        } else if (err) {
          const char* message = rd_kafka_topic_result_error_string(topics[i]);
          status = Status::IoError("cannot create topic '" + topic +
                                   "': " + (message ? message : rd_kafka_err2str(err)));
        }
      }
    }
    if (event) rd_kafka_event_destroy(event);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_NewTopic_destroy(new_topic);
    rd_kafka_queue_destroy(queue);
    return status;
  }

  // Opens the topic and waits (up to 30 s) until its partitions have leaders. Returns how many
  // partitions it has.
  Result<int> OpenTopic(const std::string& topic) {
    topic_ = rd_kafka_topic_new(rk_, topic.c_str(), nullptr);
    if (!topic_) {
      return Status::InvalidArgument("bad topic '" + topic +
                                     "': " + rd_kafka_err2str(rd_kafka_last_error()));
    }
    // A topic just created takes a moment to get leaders; an unknown one is reported sooner.
    const auto begin = Clock::now();
    std::string why;
    bool unknown = false;
    while (true) {
      const rd_kafka_metadata_t* metadata = nullptr;
      rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 0, topic_, &metadata, 5000);
      if (!err) {
        int partitions = 0;
        bool ready = metadata->topic_cnt == 1 && metadata->topics[0].err == 0;
        if (ready) {
          partitions = metadata->topics[0].partition_cnt;
          for (int p = 0; p < partitions; ++p) {
            if (metadata->topics[0].partitions[p].leader < 0) ready = false;
          }
        } else if (metadata->topic_cnt == 1) {
          why = rd_kafka_err2str(metadata->topics[0].err);
          unknown = metadata->topics[0].err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
        }
        rd_kafka_metadata_destroy(metadata);
        if (ready && partitions > 0) return partitions;
      } else {
        why = rd_kafka_err2str(err);
      }
      if (Clock::now() - begin > std::chrono::seconds(unknown ? 5 : 30)) {
        return Status::IoError("topic '" + topic + "' is not available: " + why +
                               " (create it, or pass --partitions N)" + LastLog());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // Queues one message (copied); waits while librdkafka's queue is full.
  Status Send(std::string_view key, std::string_view value) {
    while (true) {
      if (rd_kafka_produce(topic_, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                           const_cast<char*>(value.data()), value.size(), key.data(), key.size(),
                           nullptr) == 0) {
        return Status::OK();
      }
      rd_kafka_resp_err_t err = rd_kafka_last_error();
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        return Status::IoError(std::string("cannot produce: ") + rd_kafka_err2str(err) + LastLog());
      }
      rd_kafka_poll(rk_, 10);
    }
  }

  void Poll(int timeout_ms) { rd_kafka_poll(rk_, timeout_ms); }
  int Pending() const { return rd_kafka_outq_len(rk_); }
  rd_kafka_t* handle() { return rk_; }
  bool existed() const { return existed_; }
  const ClientState& state() const { return state_; }

  std::string LastLog() {
    std::lock_guard<std::mutex> lock(state_.log_mutex);
    return state_.last_log.empty() ? "" : " (last client message: " + state_.last_log + ")";
  }

 private:
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_topic_t* topic_ = nullptr;
  ClientState state_;
  bool existed_ = false;
};

// Generator errors name the orders connector's options: say which flag instead.
Status FlagError(const Status& status) {
  static constexpr std::pair<std::string_view, std::string_view> kFlags[] = {
      {"rows-per-second", "--rate"},
      {"orders.seed", "--seed"},
      {"orders.start-time", "--start-time"},
      {"orders.events-per-second-of-event-time", "--event-rate"},
      {"orders.max-out-of-orderness", "--out-of-order"},
      {"orders.late-ratio", "--late-ratio"},
      {"orders.late-by", "--late-by"},
      {"orders.customers", "--customers"},
      {"orders.statuses", "--statuses"},
  };
  std::string message = status.message();
  for (const auto& [option, flag] : kFlags) {
    const std::string quoted = "option '" + std::string(option) + "'";
    size_t at = message.find(quoted);
    if (at != std::string::npos) {
      message.replace(at, quoted.size(), flag);
      return Status::InvalidArgument(message);
    }
  }
  return status;
}

Options GeneratorOptions(const ProduceFlags& flags) {
  Options options;
  options["rows-per-second"] = flags.rate;
  options["orders.seed"] = std::to_string(flags.seed);
  options["orders.start-time"] = flags.start_time;
  options["orders.events-per-second-of-event-time"] = flags.event_rate;
  options["orders.max-out-of-orderness"] = flags.out_of_order;
  options["orders.late-ratio"] = flags.late_ratio;
  options["orders.late-by"] = flags.late_by;
  options["orders.customers"] = std::to_string(flags.customers);
  if (!flags.statuses.empty()) options["orders.statuses"] = flags.statuses;
  return options;
}

int64_t WallMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int ProduceCommand(const ProduceFlags& flags) {
  // What to generate.
  auto config = ParseOrdersConfig(GeneratorOptions(flags), WallMillis());
  if (!config.ok()) return ReportError(FlagError(config.status()));
  const Schema schema = OrderEventSchema();
  auto generator = OrderGenerator::Make(schema, *config);
  if (!generator.ok()) return ReportError(generator.status());
  std::optional<int64_t> duration_micros;
  if (!flags.duration.empty()) {
    auto micros = ParseDuration(flags.duration);
    if (!micros.ok()) return ReportError(micros.status().WithContext("--duration"));
    duration_micros = *micros;
  }

  // How to encode it.
  auto format = FindFormat(flags.format);
  if (!format.ok()) return ReportError(format.status().WithContext("--format"));
  Options format_options;
  if (flags.format == "avro-confluent") {
    format_options["avro-confluent.url"] = flags.registry;
    format_options["avro-confluent.subject"] = flags.topic + "-value";
  }
  if (!(*format)->make_encoder) {
    return ReportError(Status::InvalidArgument("format '" + flags.format + "' cannot write"));
  }
  auto encoder = (*format)->make_encoder(schema, format_options);
  if (!encoder.ok()) return ReportError(encoder.status());
  const bool strip_newline = !(*format)->framed_by_transport;
  auto raw_encoder = MakeJsonRecordEncoder(schema, JsonOptions{});
  if (!raw_encoder.ok()) return ReportError(raw_encoder.status());
  std::FILE* raw = nullptr;
  if (!flags.raw_path.empty()) {
    std::error_code ec;
    auto parent = std::filesystem::path(flags.raw_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    raw = std::fopen(flags.raw_path.c_str(), "wb");
    if (!raw) {
      return ReportError(Status::InvalidArgument("cannot write '" + flags.raw_path +
                                                 "': " + std::strerror(errno)));
    }
  }
  struct RawCloser {
    std::FILE*& file;
    ~RawCloser() {
      if (file) std::fclose(file);
    }
  } raw_closer{raw};

  // Where to send it.
  Producer producer;
  Status status = producer.Connect(flags);
  if (!status.ok()) return ReportError(status);
  if (flags.partitions > 0) {
    status = producer.CreateTopic(flags.topic, flags.partitions, flags.replication_factor);
    if (!status.ok()) return ReportError(status);
  }
  auto partitions = producer.OpenTopic(flags.topic);
  if (!partitions.ok()) return ReportError(partitions.status());
  if (!flags.quiet) {
    std::cerr << "topic " << flags.topic << ": " << *partitions << " partition"
              << (*partitions == 1 ? "" : "s")
              << (flags.partitions > 0 ? (producer.existed() ? " (existing)" : " (created)") : "")
              << ", format " << flags.format << "\n";
  }

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  const bool live = !flags.quiet && isatty(STDERR_FILENO);
  RateLimiter limiter(config->rows_per_second);
  const size_t chunk = limiter.unlimited() ? 4096 : 1024;
  const auto start = Clock::now();
  auto last_progress = start;
  uint64_t sent = 0;
  std::string values, raw_lines;
  std::vector<size_t> ends;
  const ClientState& deliveries = producer.state();

  auto progress = [&](bool force) {
    if (flags.quiet) return;
    const auto now = Clock::now();
    const double every = live ? 0.5 : 5.0;
    if (!force && Seconds(now - last_progress) < every) return;
    last_progress = now;
    const double elapsed = std::max(Seconds(now - start), 1e-9);
    std::string line = "sent " + Grouped(sent) + ", delivered " + Grouped(deliveries.delivered) +
                       (deliveries.failed ? ", FAILED " + Grouped(deliveries.failed) : "") + " (" +
                       Grouped(static_cast<uint64_t>(deliveries.delivered / elapsed)) +
                       " events/s)";
    if (live) {
      std::cerr << "\r\033[K" << line << std::flush;
    } else {
      std::cerr << line << "\n";
    }
  };

  while (g_stop.load() == 0 && deliveries.failed == 0) {
    size_t want = chunk;
    if (flags.count >= 0) {
      if (sent >= static_cast<uint64_t>(flags.count)) break;
      want = std::min<uint64_t>(want, static_cast<uint64_t>(flags.count) - sent);
    }
    if (duration_micros &&
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count() >=
            *duration_micros) {
      break;
    }
    const size_t n = limiter.Acquire(want);
    producer.Poll(0);
    progress(false);
    if (n == 0) continue;
    Batch batch = generator->Fill(sent, 1, n);
    values.clear();
    ends.clear();
    status = (*encoder)->Encode(batch, 0, n, &values, &ends);
    if (!status.ok()) return ReportError(status);
    const Column& keys = *batch.column(0);
    size_t begin = 0;
    for (size_t row = 0; row < n; ++row) {
      std::string_view value(values.data() + begin, ends[row] - begin);
      begin = ends[row];
      if (strip_newline && !value.empty() && value.back() == '\n') value.remove_suffix(1);
      status = producer.Send(keys.GetString(row), value);
      if (!status.ok()) return ReportError(status);
    }
    if (raw) {
      raw_lines.clear();
      status = (*raw_encoder)->Encode(batch, 0, n, &raw_lines);
      if (!status.ok()) return ReportError(status);
      if (std::fwrite(raw_lines.data(), 1, raw_lines.size(), raw) != raw_lines.size() ||
          std::fflush(raw) != 0) {
        return ReportError(
            Status::IoError("cannot write '" + flags.raw_path + "': " + std::strerror(errno)));
      }
    }
    sent += n;
  }

  // Wait for every delivery report; a further Ctrl-C stops waiting.
  const int stops = g_stop.load();
  while (producer.Pending() > 0 && g_stop.load() == stops) {
    producer.Poll(100);
    progress(false);
  }
  producer.Poll(0);
  const double elapsed = std::max(Seconds(Clock::now() - start), 1e-9);
  if (live) std::cerr << "\r\033[K";
  if (deliveries.failed > 0 || deliveries.delivered < sent) {
    const uint64_t missing = sent - deliveries.delivered;
    std::cerr << "error: " << Grouped(missing) << " of " << Grouped(sent)
              << " events were not delivered"
              << (deliveries.first_error.empty() ? std::string(" (interrupted)")
                                                 : ": " + deliveries.first_error)
              << producer.LastLog() << "\n";
    return 1;
  }
  std::cout << "produced " << Grouped(deliveries.delivered) << " events in " << Fixed(elapsed, 2)
            << " s ("
            << Grouped(static_cast<uint64_t>(std::llround(deliveries.delivered / elapsed)))
            << " events/s, " << Fixed(deliveries.bytes / elapsed / 1e6, 1) << " MB/s)\n";
  return 0;
}

}  // namespace sluice::cli
