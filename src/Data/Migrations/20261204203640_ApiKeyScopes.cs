using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "jobs",
                schema: "dashboard",
                table: "api_keys",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "queues",
                schema: "dashboard",
                table: "api_keys",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "requests_per_minute",
                schema: "dashboard",
                table: "api_keys",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "jobs",
                schema: "dashboard",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "queues",
                schema: "dashboard",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "requests_per_minute",
                schema: "dashboard",
                table: "api_keys");
        }
    }
}
