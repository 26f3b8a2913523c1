# Build: docker build -t etrid-exporter .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Etrid.Exporter/Etrid.Exporter.csproj -c Release -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Non-root, as the manifests' securityContext expects (runAsNonRoot, uid 65532).
USER 65532:65532
ENV DOTNET_gcServer=0
EXPOSE 9090 6443 6000
ENTRYPOINT ["dotnet", "etrid-exporter.dll"]
CMD ["serve"]
