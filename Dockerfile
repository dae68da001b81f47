# One image for every role (DESIGN.md §2); the role is chosen at run time with Dashboard__Roles.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig Dashboard.sln appsettings.json ./
COPY src/Data/Data.csproj src/Data/
COPY src/Jobs/Jobs.csproj src/Jobs/
COPY src/Web/Web.csproj src/Web/
RUN dotnet restore src/Web/Web.csproj
COPY wwwroot/ wwwroot/
COPY src/ src/
RUN dotnet publish src/Web/Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_gcServer=0
EXPOSE 8080
# The aspnet image's unprivileged user.
USER $APP_UID
ENTRYPOINT ["dotnet", "Dashboard.Web.dll"]
