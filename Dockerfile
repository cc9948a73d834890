# The assistant as a container: `docker build -t zhicheng . && docker run -p 3000:3000 zhicheng`; two replicas on one
# Redis: `docker compose up --build` (docker-compose.yml). It holds what `serve` reads at run time: the sources (run
# through tsx, a production dependency), the knowledge folder and the production dependencies.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY knowledge ./knowledge
USER node
EXPOSE 3000
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A larger young generation: chat turns allocate fast, and fewer scavenges shorten the latency tail.
CMD ["node", "--max-semi-space-size=32", "--no-allocation-site-pretenuring", "bin/zhicheng.mjs", "serve"]
