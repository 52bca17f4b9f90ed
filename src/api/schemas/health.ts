import Type from 'typebox';

export const DependencyStatus = Type.Union([Type.Literal('up'), Type.Literal('down')]);

export const DependencyChecks = Type.Object({
  temporal: DependencyStatus,
  mongo: DependencyStatus,
  redis: DependencyStatus,
});

export const Health = Type.Object({ status: Type.Literal('ok') });

export const Ready = Type.Object({
  status: Type.Literal('ready'),
  checks: DependencyChecks,
  store: Type.Optional(
    Type.String({ description: 'The document store behind MONGO_URL, e.g. "FerretDB v1.24.2 on PostgreSQL 15.14"' }),
  ),
});
