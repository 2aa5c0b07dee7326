// No first-passage record (the 'exit-check' module of particles_step.wgsl when
// no escape watch is attached): the calls fold away, the kernel binds nothing more.

fn exit_record_load(i: u32) -> u32 { return 1u; }
fn exit_record_step(rec: u32, x: vec2f, step: u32) -> u32 { return rec; }
fn exit_record_store(i: u32, rec: u32) {}
