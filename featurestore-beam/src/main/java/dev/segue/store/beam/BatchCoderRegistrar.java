package dev.segue.store.beam;

import dev.segue.store.Batch;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviderRegistrar;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

import java.util.List;

/**
 * Makes {@link BatchCoder} the default coder of {@link Batch} in every pipeline that has this module on its
 * class path (Beam loads registrars through {@code META-INF/services}), so the store itself needs no Beam
 * annotation and no Beam dependency.
 */
public final class BatchCoderRegistrar implements CoderProviderRegistrar {
    @Override
    public List<CoderProvider> getCoderProviders() {
        return List.of(CoderProviders.forCoder(TypeDescriptor.of(Batch.class), BatchCoder.of()));
    }
}
