import { Counter } from 'prom-client';

/** On prom-client's default registry, which the worker's ops server and the API's /metrics serve. */
export const relayLeasesExpired = new Counter({
  name: 'relay_leases_expired_total',
  help: 'Outbox leases found expired and taken over by a relay: their relay died, or stalled longer than the lease',
});

export const relayLeasesLost = new Counter({
  name: 'relay_leases_lost_total',
  help: 'Outbox leases a relay could not renew while delivering because another relay had taken them over',
});
