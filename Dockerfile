# Build: docker build -t etrid-exporter .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so a source change does not invalidate the package layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
# Only the production executable and what it references: the dev world (src/Etrid.DevTools and what only it uses) stays out.
COPY src/Etrid.Substrate/Etrid.Substrate.csproj src/Etrid.Substrate/
COPY src/Etrid.AiCompute/Etrid.AiCompute.csproj src/Etrid.AiCompute/
COPY src/Etrid.Kubernetes/Etrid.Kubernetes.csproj src/Etrid.Kubernetes/
COPY src/Etrid.Burst/Etrid.Burst.csproj src/Etrid.Burst/
COPY src/Etrid.Mithril/Etrid.Mithril.csproj src/Etrid.Mithril/
COPY src/Etrid.Scaling/Etrid.Scaling.csproj src/Etrid.Scaling/
COPY src/Etrid.Exporter/Etrid.Exporter.csproj src/Etrid.Exporter/
RUN dotnet restore src/Etrid.Exporter/Etrid.Exporter.csproj
COPY protos/ protos/
COPY src/Etrid.Substrate/ src/Etrid.Substrate/
COPY src/Etrid.AiCompute/ src/Etrid.AiCompute/
COPY src/Etrid.Kubernetes/ src/Etrid.Kubernetes/
COPY src/Etrid.Burst/ src/Etrid.Burst/
COPY src/Etrid.Mithril/ src/Etrid.Mithril/
COPY src/Etrid.Scaling/ src/Etrid.Scaling/
COPY src/Etrid.Exporter/ src/Etrid.Exporter/
RUN dotnet publish src/Etrid.Exporter/Etrid.Exporter.csproj -c Release --no-restore -o /app /p:UseAppHost=false

# Chiseled: no shell, no package manager, non-root by default.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app ./
# The image's own non-root user `app` (uid 1654); the manifests' securityContext runs as the same uid.
USER 1654:1654
# A 4 MB gen0 budget keeps the resident set near the benchmarked figure (BENCHMARKS.md); the GC
# mode, conserve-memory level and PGO are set in the app's runtimeconfig. Nothing is written outside
# /tmp (an emptyDir under a read-only root filesystem).
ENV DOTNET_GCgen0size=400000
# Two malloc arenas instead of one per core-multiple of threads: TLS handshakes on many threads otherwise
# leave native memory spread over arenas glibc never returns (BENCHMARKS.md, TLS connection churn).
ENV MALLOC_ARENA_MAX=2
# 9090 metrics, health and status page; 6443 external metrics API; 6000 KEDA scaler.
EXPOSE 9090 6443 6000
ENTRYPOINT ["dotnet", "etrid-exporter.dll"]
CMD ["serve"]
