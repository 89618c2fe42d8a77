"""Who may use Kafka: SCRAM users, ACLs from the design in koos_contracts.access, partners, Strimzi resources."""
