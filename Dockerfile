# Build: docker build -t etrid-exporter .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/Etrid.Exporter/Etrid.Exporter.csproj -c Release -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Non-root, as the manifests' securityContext expects (runAsNonRoot, uid 65532).
USER 65532:65532
# A 4 MB gen0 budget keeps the resident set near the benchmarked figure (BENCHMARKS.md); the GC
# mode, conserve-memory level and PGO are set in the app's runtimeconfig.
ENV DOTNET_GCgen0size=400000
EXPOSE 9090 6443 6000
ENTRYPOINT ["dotnet", "etrid-exporter.dll"]
CMD ["serve"]
