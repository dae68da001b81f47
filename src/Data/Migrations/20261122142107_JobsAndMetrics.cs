using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class JobsAndMetrics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "email_deliveries",
                schema: "dashboard",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    to_address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    subject = table.Column<string>(type: "character varying(998)", maxLength: 998, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    job_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    bounce_type = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    bounce_reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    bounced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "job_metrics_hour",
                schema: "dashboard",
                columns: table => new
                {
                    bucket_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    job_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    queue = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    executions = table.Column<long>(type: "bigint", nullable: false),
                    failures = table.Column<long>(type: "bigint", nullable: false),
                    duration_sum_ms = table.Column<double>(type: "double precision", nullable: false),
                    duration_max_ms = table.Column<double>(type: "double precision", nullable: false),
                    histogram = table.Column<long[]>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job_metrics_hour", x => new { x.bucket_start, x.job_type, x.queue });
                });

            migrationBuilder.CreateTable(
                name: "job_metrics_minute",
                schema: "dashboard",
                columns: table => new
                {
                    bucket_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    job_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    queue = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    executions = table.Column<long>(type: "bigint", nullable: false),
                    failures = table.Column<long>(type: "bigint", nullable: false),
                    duration_sum_ms = table.Column<double>(type: "double precision", nullable: false),
                    duration_max_ms = table.Column<double>(type: "double precision", nullable: false),
                    histogram = table.Column<long[]>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job_metrics_minute", x => new { x.bucket_start, x.job_type, x.queue });
                });

            migrationBuilder.CreateTable(
                name: "server_heartbeats",
                schema: "dashboard",
                columns: table => new
                {
                    server_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    host = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    process_id = table.Column<int>(type: "integer", nullable: false),
                    queues = table.Column<string[]>(type: "text[]", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    working_set_bytes = table.Column<long>(type: "bigint", nullable: false),
                    cpu_percent = table.Column<double>(type: "double precision", nullable: false),
                    busy_workers = table.Column<int>(type: "integer", nullable: false),
                    worker_count = table.Column<int>(type: "integer", nullable: false),
                    processed = table.Column<long>(type: "bigint", nullable: false),
                    failed = table.Column<long>(type: "bigint", nullable: false),
                    average_duration_ms = table.Column<double>(type: "double precision", nullable: false),
                    stopped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_server_heartbeats", x => x.server_id);
                });

            migrationBuilder.CreateTable(
                name: "suppressed_addresses",
                schema: "dashboard",
                columns: table => new
                {
                    address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    message_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppressed_addresses", x => x.address);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                schema: "dashboard",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    job_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    duration_ms = table.Column<double>(type: "double precision", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_attempts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_email_deliveries_created_at",
                schema: "dashboard",
                table: "email_deliveries",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_email_deliveries_message_key",
                schema: "dashboard",
                table: "email_deliveries",
                column: "message_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_email_deliveries_to_address",
                schema: "dashboard",
                table: "email_deliveries",
                column: "to_address");

            migrationBuilder.CreateIndex(
                name: "ix_job_metrics_hour_job_type_bucket_start",
                schema: "dashboard",
                table: "job_metrics_hour",
                columns: new[] { "job_type", "bucket_start" });

            migrationBuilder.CreateIndex(
                name: "ix_job_metrics_minute_job_type_bucket_start",
                schema: "dashboard",
                table: "job_metrics_minute",
                columns: new[] { "job_type", "bucket_start" });

            migrationBuilder.CreateIndex(
                name: "ix_server_heartbeats_heartbeat_at",
                schema: "dashboard",
                table: "server_heartbeats",
                column: "heartbeat_at");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_attempts_created_at",
                schema: "dashboard",
                table: "webhook_attempts",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_attempts_delivery_key_attempt",
                schema: "dashboard",
                table: "webhook_attempts",
                columns: new[] { "delivery_key", "attempt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "email_deliveries",
                schema: "dashboard");

            migrationBuilder.DropTable(
                name: "job_metrics_hour",
                schema: "dashboard");

            migrationBuilder.DropTable(
                name: "job_metrics_minute",
                schema: "dashboard");

            migrationBuilder.DropTable(
                name: "server_heartbeats",
                schema: "dashboard");

            migrationBuilder.DropTable(
                name: "suppressed_addresses",
                schema: "dashboard");

            migrationBuilder.DropTable(
                name: "webhook_attempts",
                schema: "dashboard");
        }
    }
}
